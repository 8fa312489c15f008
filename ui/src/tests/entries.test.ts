import { describe, expect, it } from "vitest";
import { dayKey, dayLabel, fromLocalInput, shortWhen, summary, timeOfDay, unitLabel } from "../lib/entries";
import { entryView } from "./fixtures";


describe("entries", () => {
  it("summarises each kind the way a person reads it", () => {
    expect(summary(entryView({ value: "5.8", unit: "mmol/L", meal: "before" }))).toBe(
      "5.8 mmol/L · before a meal",
    );
    expect(
      summary(entryView({ kind: "bp", systolic: "128", diastolic: "84", unit: "mm[Hg]", pulse: "71" })),
    ).toBe("128/84 mmHg · pulse 71");
    expect(summary(entryView({ kind: "temperature", value: "37.8", unit: "Cel" }))).toBe("37.8 °C");
    expect(summary(entryView({ kind: "medication", text: "metformin 500 mg" }))).toBe("metformin 500 mg");
    expect(summary(entryView({ kind: "meal", value: "45", unit: "g", text: "porridge" }))).toBe(
      "porridge · 45 g carbohydrates",
    );
  });

  it("keeps the time and day as recorded, whatever this device's zone", () => {
    const e = entryView({ at: "2026-03-01T23:30:00-05:00" });
    expect(dayKey(e)).toBe("2026-03-01");
    expect(timeOfDay(e.at)).toBe("23:30");
  });

  it("names today and yesterday", () => {
    const today = new Date(2026, 2, 2, 12);
    expect(dayLabel("2026-03-02", today)).toMatch(/^Today, /);
    expect(dayLabel("2026-03-01", today)).toMatch(/^Yesterday, /);
    expect(dayLabel("2026-02-20", today)).not.toMatch(/^(Today|Yesterday)/);
  });

  it("turns a datetime-local value into RFC 3339 with an offset", () => {
    expect(fromLocalInput("2026-03-01T07:30")).toMatch(/^2026-03-01T07:30:00[+-]\d\d:\d\d$/);
    expect(fromLocalInput("not a date")).toBeNull();
  });

  it("shows UCUM codes as people write units", () => {
    expect(unitLabel("mm[Hg]")).toBe("mmHg");
    expect(unitLabel("[degF]")).toBe("°F");
    expect(unitLabel("mmol/L")).toBe("mmol/L");
  });
});

describe("shortWhen", () => {
  it("says today and yesterday, else the date, with the recorded time of day", () => {
    const today = new Date(2026, 11, 4, 12, 0);
    expect(shortWhen("2026-12-04T07:30:00+01:00", today)).toBe("Today 07:30");
    expect(shortWhen("2026-12-03T21:10:00-05:00", today)).toBe("Yesterday 21:10");
    expect(shortWhen("2026-11-20T08:00:00+00:00", today)).toMatch(/2026 08:00$/);
  });
});
