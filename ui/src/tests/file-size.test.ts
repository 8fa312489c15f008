import { describe, expect, it } from "vitest";
import { formatFileSize } from "../lib/file-size";

describe("file sizes", () => {
  it("counts small files in bytes", () => {
    expect(formatFileSize(0)).toBe("0 bytes");
    expect(formatFileSize(1)).toBe("1 byte");
    expect(formatFileSize(999)).toBe("999 bytes");
  });

  it("uses decimal units with one decimal below ten", () => {
    expect(formatFileSize(1000)).toBe("1.0 KB");
    expect(formatFileSize(61_729)).toBe("62 KB");
    expect(formatFileSize(2_400_000)).toBe("2.4 MB");
    expect(formatFileSize(999_999_999_999)).toBe("1000 GB");
  });
});
