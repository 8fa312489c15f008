/**
 * Display units: the patient may see glucose in mmol/L or mg/dL, weight in kg or lb and
 * temperature in °C or °F whatever the device recorded. The journal keeps the value as
 * recorded; only the screen converts. A display setting, not health data, so it lives in
 * local storage beside the appearance.
 */
import type { Kind, Unit } from "./backend";

export interface UnitPreferences {
  glucose: "recorded" | "mmol/L" | "mg/dL";
  weight: "recorded" | "kg" | "[lb_av]";
  temperature: "recorded" | "Cel" | "[degF]";
}

export const defaultUnits: UnitPreferences = { glucose: "recorded", weight: "recorded", temperature: "recorded" };

const STORAGE_KEY = "vitalog.units";

/** mg/dL per mmol/L for glucose, the factor STANDARDS.md and the Rust vocabulary use. */
const GLUCOSE_MG_DL_PER_MMOL_L = 18.016;
const LB_PER_KG = 2.2046226218;

export function loadUnits(storage: Storage = window.localStorage): UnitPreferences {
  try {
    const saved: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "{}");
    const record = (typeof saved === "object" && saved !== null ? saved : {}) as Record<string, unknown>;
    const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
      allowed.find((a) => a === value) ?? fallback;
    return {
      glucose: pick(record.glucose, ["recorded", "mmol/L", "mg/dL"] as const, "recorded"),
      weight: pick(record.weight, ["recorded", "kg", "[lb_av]"] as const, "recorded"),
      temperature: pick(record.temperature, ["recorded", "Cel", "[degF]"] as const, "recorded"),
    };
  } catch {
    return { ...defaultUnits };
  }
}

export function saveUnits(units: UnitPreferences, storage: Storage = window.localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(units));
}

/** Decimals shown per unit: mg/dL whole numbers, the rest one decimal. */
const decimals: Partial<Record<Unit, number>> = { "mg/dL": 0, "mmol/L": 1, kg: 1, "[lb_av]": 1, Cel: 1, "[degF]": 1 };

function convertNumber(value: number, from: Unit, to: Unit): number | null {
  if (from === to) return value;
  if (from === "mmol/L" && to === "mg/dL") return value * GLUCOSE_MG_DL_PER_MMOL_L;
  if (from === "mg/dL" && to === "mmol/L") return value / GLUCOSE_MG_DL_PER_MMOL_L;
  if (from === "kg" && to === "[lb_av]") return value * LB_PER_KG;
  if (from === "[lb_av]" && to === "kg") return value / LB_PER_KG;
  if (from === "Cel" && to === "[degF]") return (value * 9) / 5 + 32;
  if (from === "[degF]" && to === "Cel") return ((value - 32) * 5) / 9;
  return null;
}

/**
 * The value and unit to show: converted when the patient chose another unit for this kind,
 * else exactly as recorded (the recorded text keeps the device's precision).
 */
export function displayValue(
  kind: Kind,
  value: string | null,
  unit: Unit | null,
  units: UnitPreferences,
): { value: string | null; unit: Unit | null } {
  const wanted =
    kind === "glucose" ? units.glucose : kind === "weight" ? units.weight : kind === "temperature" ? units.temperature : "recorded";
  if (wanted === "recorded" || value === null || unit === null || wanted === unit) return { value, unit };
  const converted = convertNumber(Number(value), unit, wanted);
  if (converted === null || !Number.isFinite(converted)) return { value, unit };
  return { value: converted.toFixed(decimals[wanted] ?? 1), unit: wanted };
}
