import { describe, expect, it } from "vitest";
import type { EntryView } from "../lib/backend";
import { summary } from "../lib/entries";
import { defaultUnits, displayValue, loadUnits, saveUnits } from "../lib/units";
import { memoryStorage } from "./memory-storage";

describe("display units", () => {
  it("shows values as recorded by default, keeping their precision", () => {
    expect(displayValue("glucose", "5.80", "mmol/L", defaultUnits)).toEqual({ value: "5.80", unit: "mmol/L" });
  });

  it("converts glucose with its molar mass, not the rounded 18", () => {
    const mgdl = { ...defaultUnits, glucose: "mg/dL" as const };
    expect(displayValue("glucose", "5.8", "mmol/L", mgdl)).toEqual({ value: "104", unit: "mg/dL" });
    const mmol = { ...defaultUnits, glucose: "mmol/L" as const };
    expect(displayValue("glucose", "126", "mg/dL", mmol)).toEqual({ value: "7.0", unit: "mmol/L" });
  });

  it("converts weight and temperature, and leaves other kinds alone", () => {
    const imperial = { glucose: "recorded", weight: "[lb_av]", temperature: "[degF]" } as const;
    expect(displayValue("weight", "81.2", "kg", imperial)).toEqual({ value: "179.0", unit: "[lb_av]" });
    expect(displayValue("temperature", "37.0", "Cel", imperial)).toEqual({ value: "98.6", unit: "[degF]" });
    expect(displayValue("spo2", "97", "%", imperial)).toEqual({ value: "97", unit: "%" });
  });

  it("is what the one-line summary shows", () => {
    const entry = { kind: "glucose", value: "5.8", unit: "mmol/L", meal: null } as EntryView;
    expect(summary(entry, { ...defaultUnits, glucose: "mg/dL" })).toBe("104 mg/dL");
    expect(summary(entry)).toBe("5.8 mmol/L");
  });

  it("saves and loads the choice, ignoring unknown values", () => {
    const storage = memoryStorage();
    saveUnits({ glucose: "mg/dL", weight: "kg", temperature: "recorded" }, storage);
    expect(loadUnits(storage)).toEqual({ glucose: "mg/dL", weight: "kg", temperature: "recorded" });
    storage.setItem("vitalog.units", JSON.stringify({ glucose: "furlongs" }));
    expect(loadUnits(storage)).toEqual(defaultUnits);
  });
});
