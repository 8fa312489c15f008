/**
 * How the Trends and Today screens word the statistics: numbers rounded for reading (the core
 * keeps them unrounded), and each chart's numbers as a table, its accessible twin.
 */
import type { ChartKind, Stats, Unit } from "./backend";
import { unitLabel } from "./entries";

/** A value for reading: whole in mg/dL, mmHg, % and bpm, one decimal otherwise. */
export function shown(value: number | null | undefined, unit: Unit | "mmHg"): string {
  if (value === null || value === undefined) return "—";
  const whole = unit === "mg/dL" || unit === "mmHg" || unit === "%" || unit === "/min";
  return value.toLocaleString("en", { maximumFractionDigits: whole ? 0 : 1, minimumFractionDigits: whole ? 0 : 1 });
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${value.toLocaleString("en", { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
}

/** "3 h 12 min" for minutes per day. */
export function duration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return "—";
  const rounded = Math.round(minutes);
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

export interface Table {
  caption: string;
  head: string[];
  rows: string[][];
}

const categoryWords = { normal: "normal", elevated: "elevated", stage_1: "stage 1", stage_2: "stage 2" } as const;

export function categoryLabel(category: keyof typeof categoryWords): string {
  return categoryWords[category];
}

/** The numbers behind a chart, as a table a screen reader (or anyone) can read. */
export function chartTable(kind: ChartKind, stats: Stats): Table | null {
  const glucose = stats.glucose?.cgm ?? stats.glucose?.meter ?? null;
  const cgm = stats.glucose?.cgm ?? null;
  switch (kind) {
    case "tir": {
      if (!glucose) return null;
      const r = glucose.ranges;
      const rows: [string, typeof r.in_range][] = [
        ["Very high", r.very_high],
        ["High", r.high],
        ["In range", r.in_range],
        ["Low", r.low],
        ["Very low", r.very_low],
      ];
      return {
        caption: cgm ? "Time in ranges" : "Readings in ranges",
        head: cgm ? ["Range", "Share", "Per day", "Readings"] : ["Range", "Share", "Readings"],
        rows: rows.map(([name, band]) =>
          cgm
            ? [name, percent(band.pct), duration(band.minutes_per_day), String(band.n)]
            : [name, percent(band.pct), String(band.n)],
        ),
      };
    }
    case "agp": {
      if (!cgm) return null;
      const unit = unitLabel(cgm.unit);
      return {
        caption: `Glucose by time of day (${unit}), every hour`,
        head: ["Time", "5 %", "25 %", "Median", "75 %", "95 %", "Readings"],
        rows: cgm.agp.bins
          .filter((_, i) => i % 4 === 0)
          .map((bin) => [
            bin.start,
            shown(bin.p5, cgm.unit),
            shown(bin.p25, cgm.unit),
            shown(bin.p50, cgm.unit),
            shown(bin.p75, cgm.unit),
            shown(bin.p95, cgm.unit),
            String(bin.n),
          ]),
      };
    }
    case "glucose":
    case "daily": {
      const blocks = [
        ["CGM", stats.glucose?.cgm],
        ["Meter", stats.glucose?.meter],
      ] as const;
      const rows = blocks.flatMap(([name, block]) =>
        block
          ? [
              [
                name,
                String(block.n_readings),
                `${shown(block.mean, block.unit)} ${unitLabel(block.unit)}`,
                shown(block.min, block.unit),
                shown(block.max, block.unit),
                percent(block.cv_pct),
              ],
            ]
          : [],
      );
      if (rows.length === 0) return null;
      return { caption: "Glucose", head: ["Measured by", "Readings", "Average", "Lowest", "Highest", "Variability (CV)"], rows };
    }
    case "bp": {
      const bp = stats.blood_pressure;
      if (!bp) return null;
      const pair = (s: number | null, d: number | null) => (s === null || d === null ? "—" : `${shown(s, "mmHg")}/${shown(d, "mmHg")}`);
      return {
        caption: "Blood pressure (mmHg)",
        head: ["", "Average", "Readings"],
        rows: [
          ["All kept readings", pair(bp.mean.systolic, bp.mean.diastolic), String(bp.n_readings)],
          ["Mornings", pair(bp.morning.systolic, bp.morning.diastolic), String(bp.morning.n)],
          ["Evenings", pair(bp.evening.systolic, bp.evening.diastolic), String(bp.evening.n)],
          ["Readings in the normal range", "", String(bp.readings_by_category.normal)],
          ["Readings elevated", "", String(bp.readings_by_category.elevated)],
          ["Readings in stage 1", "", String(bp.readings_by_category.stage_1)],
          ["Readings in stage 2", "", String(bp.readings_by_category.stage_2)],
        ],
      };
    }
    case "weight":
    case "spo2":
    case "temperature":
    case "heart_rate": {
      const block = stats[kind];
      if (!block) return null;
      const rows = [
        ["Readings", String(block.n_readings)],
        ["Average", `${shown(block.mean, block.unit)} ${unitLabel(block.unit)}`],
        ["Lowest", `${shown(block.min, block.unit)} ${unitLabel(block.unit)}`],
        ["Highest", `${shown(block.max, block.unit)} ${unitLabel(block.unit)}`],
      ];
      if (block.change_per_week !== undefined && block.change_per_week !== null) {
        rows.push(["Change per week", `${block.change_per_week > 0 ? "+" : ""}${block.change_per_week.toFixed(2)} ${unitLabel(block.unit)}`]);
      }
      if (block.pct_below_90 !== undefined && block.pct_below_90 !== null) {
        rows.push(["Readings below 90 %", percent(block.pct_below_90)]);
      }
      return { caption: "Summary", head: ["", "Value"], rows };
    }
  }
}

/** Which section of the Trends screen a chart belongs to. */
export function sectionOf(kind: ChartKind): "glucose" | "blood_pressure" | "body" {
  switch (kind) {
    case "agp":
    case "tir":
    case "glucose":
    case "daily":
      return "glucose";
    case "bp":
      return "blood_pressure";
    case "weight":
    case "spo2":
    case "temperature":
    case "heart_rate":
      return "body";
  }
}

/** A local calendar day as `YYYY-MM-DD`. */
function localDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The period "since the last report": from the day it was saved up to and including today.
 * None when there was no report, it was today (nothing new yet), or more than a year ago.
 */
export function sinceLastReport(lastReport: string | null, today: Date = new Date()): { from: string; to: string } | null {
  if (!lastReport) return null;
  const todayKey = localDay(today);
  const yearAgo = localDay(new Date(today.getFullYear() - 1, today.getMonth(), today.getDate()));
  if (lastReport >= todayKey || lastReport < yearAgo) return null;
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  return { from: lastReport, to: localDay(tomorrow) };
}

/** "3 March 2026" for a `YYYY-MM-DD` day. */
export function longDay(day: string): string {
  const [year = 1970, month = 1, date = 1] = day.split("-").map(Number);
  return new Date(year, month - 1, date).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}
