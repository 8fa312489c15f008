/**
 * How journal entries read on screen: kind names, unit labels, one-line summaries, day
 * grouping, and the local-time text the forms exchange with Rust.
 */
import { KINDS, type EntryView, type Field, type Kind, type MealContext, type Source, type Unit } from "./backend";
import { defaultUnits, displayValue, type UnitPreferences } from "./units";

export const kindLabels: Record<Kind, string> = {
  glucose: "Glucose",
  bp: "Blood pressure",
  weight: "Weight",
  temperature: "Temperature",
  spo2: "Oxygen saturation",
  heart_rate: "Heart rate",
  body_fat: "Body fat",
  medication: "Medication",
  insulin: "Insulin",
  meal: "Meal",
  symptom: "Symptom",
  note: "Note",
};

/** Every kind, in the order the Rust vocabulary lists them. */
export const entryKinds: Kind[] = KINDS.map((spec) => spec.kind);

/** The value fields entries of `kind` carry. */
export function kindFields(kind: Kind): readonly Field[] {
  return KINDS.find((spec) => spec.kind === kind)?.fields ?? [];
}

/**
 * The units the form offers for `kind`, the first being the default. Kinds recorded in one
 * unit only (SpO2 in %, insulin in units…) offer no choice.
 */
export function unitChoices(kind: Kind): readonly Unit[] {
  const units = KINDS.find((spec) => spec.kind === kind)?.units ?? [];
  return units.length > 1 ? units : [];
}

const unitLabels: Record<Unit, string> = {
  "mg/dL": "mg/dL",
  "mmol/L": "mmol/L",
  "mm[Hg]": "mmHg",
  kPa: "kPa",
  kg: "kg",
  "[lb_av]": "lb",
  Cel: "°C",
  "[degF]": "°F",
  "%": "%",
  "/min": "bpm",
  "[IU]": "units",
  g: "g",
};

export function unitLabel(unit: Unit | null | undefined): string {
  if (unit === null || unit === undefined) return "";
  return unitLabels[unit];
}

export const mealLabels: Record<MealContext, string> = {
  before: "before a meal",
  after: "after a meal",
  fasting: "fasting",
  bedtime: "at bedtime",
  casual: "not related to a meal",
};

export const sourceLabels: Record<Source, string> = {
  device: "From a device",
  manual: "Typed in",
  import: "Imported",
  demo: "Demo data",
};

/** The entry's value in one line, as a person would say it, in the patient's display units. */
export function summary(entry: EntryView, units: UnitPreferences = defaultUnits): string {
  const shown = displayValue(entry.kind, entry.value ?? null, entry.unit ?? null, units);
  const unit = unitLabel(shown.unit);
  switch (entry.kind) {
    case "bp": {
      const pulse = entry.pulse ? ` · pulse ${entry.pulse}` : "";
      return `${entry.systolic}/${entry.diastolic} ${unit}${pulse}`;
    }
    case "glucose": {
      const meal = entry.meal ? ` · ${mealLabels[entry.meal]}` : "";
      return `${shown.value} ${unit}${meal}`;
    }
    case "insulin":
      return `${entry.value} units${entry.text ? ` of ${entry.text}` : ""}`;
    case "meal": {
      const carbs = entry.value ? `${entry.value} g carbohydrates` : "";
      return [entry.text, carbs].filter(Boolean).join(" · ") || "Meal";
    }
    case "medication":
    case "symptom":
    case "note":
      return entry.text ?? "";
    default:
      return `${shown.value} ${unit}`.trim();
  }
}

/** The calendar day an entry belongs to, in the time zone it was recorded in. */
export function dayKey(entry: EntryView): string {
  return entry.at.slice(0, 10);
}

export function dayLabel(key: string, today: Date = new Date()): string {
  const [year, month, day] = key.split("-").map(Number);
  const date = new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1);
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((start.getTime() - date.getTime()) / 86_400_000);
  const full = date.toLocaleDateString(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  if (days === 0) return `Today, ${full}`;
  if (days === 1) return `Yesterday, ${full}`;
  return full;
}

/** "07:30" from an RFC 3339 time, as recorded (not converted to this device's zone). */
export function timeOfDay(at: string): string {
  return at.slice(11, 16);
}

/** The value of a `datetime-local` input for an RFC 3339 time, in its own offset. */
export function toLocalInput(at: string): string {
  return at.slice(0, 16);
}

/** RFC 3339 for a `datetime-local` value, with this device's UTC offset at that moment. */
export function fromLocalInput(local: string): string | null {
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${local.slice(0, 16)}:00${sign}${hours}:${minutes}`;
}

/** The current local time for a `datetime-local` input. */
export function nowLocalInput(now: Date = new Date()): string {
  const shifted = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** "Today 07:30", "Yesterday 21:10" or "3 Dec 2026 07:30", in the zone the time was recorded in. */
export function shortWhen(at: string, today: Date = new Date()): string {
  const key = at.slice(0, 10);
  const [year, month, day] = key.split("-").map(Number);
  const date = new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1);
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((start.getTime() - date.getTime()) / 86_400_000);
  const time = timeOfDay(at);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  const label = date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  return `${label} ${time}`;
}
