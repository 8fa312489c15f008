/**
 * How monitors read on screen: kind names, signal strength, clock drift, "last synced" times,
 * and the progress of a sync.
 */
import type { MonitorKind } from "./backend";
import { counted } from "./words";

/** The monitor kinds the core reports, with the words a patient would use. */
export const monitorKindLabels: Record<MonitorKind, string> = {
  glucose: "Glucose meter",
  "blood-pressure": "Blood-pressure cuff",
  cgm: "Continuous glucose monitor",
  thermometer: "Thermometer",
  weight: "Scale",
  "body-composition": "Scale with body composition",
  "pulse-oximeter": "Pulse oximeter",
  "heart-rate": "Heart-rate strap",
};

export function monitorKindLabel(kind: MonitorKind | null): string {
  if (kind === null) return "Health monitor";
  return monitorKindLabels[kind];
}

/** Signal strength as 0–4 bars and words, from RSSI in dBm. */
export function signal(rssi: number | null): { bars: number; words: string } {
  if (rssi === null) return { bars: 0, words: "signal unknown" };
  if (rssi >= -60) return { bars: 4, words: "strong signal" };
  if (rssi >= -70) return { bars: 3, words: "good signal" };
  if (rssi >= -80) return { bars: 2, words: "fair signal" };
  return { bars: 1, words: "weak signal" };
}

/** A clock drift in words, or null when it is small enough not to matter (under a minute). */
export function driftWords(driftS: number | null): string | null {
  if (driftS === null || Math.abs(driftS) < 60) return null;
  const direction = driftS > 0 ? "fast" : "slow";
  const seconds = Math.abs(driftS);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} h`);
  if (minutes > 0 || hours === 0) parts.push(`${minutes} min`);
  return `${parts.join(" ")} ${direction}`;
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", or the date. */
export function sinceWords(at: string | null, now: Date = new Date()): string {
  if (at === null) return "never";
  const then = new Date(at);
  const seconds = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${counted(minutes, "minute", "minutes")} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${counted(hours, "hour", "hours")} ago`;
  if (hours < 48) return "yesterday";
  return then.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** The progress bar's state: a fraction when the monitor said how many records it holds. */
export function progressText(received: number, expected: number | null): string {
  if (expected === null) return `${counted(received, "record", "records")} received`;
  return `${received} of ${expected} records`;
}

/** One sentence for what a sync stored. */
export function syncSummaryText(summary: {
  new: number;
  alreadyPresent: number;
  rejected: number;
}): string {
  const parts: string[] = [];
  parts.push(summary.new === 0 ? "No new readings" : `${counted(summary.new, "new reading", "new readings")} saved`);
  if (summary.alreadyPresent > 0) parts.push(`${summary.alreadyPresent} already in your journal`);
  if (summary.rejected > 0)
    parts.push(`${counted(summary.rejected, "damaged or impossible value", "damaged or impossible values")} left out`);
  return `${parts.join(", ")}.`;
}
