import { counted } from "./words";

/** File sizes in words a patient reads at a glance: "840 bytes", "61 KB", "2.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return counted(bytes, "byte", "bytes");
  const units = ["KB", "MB", "GB"] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
