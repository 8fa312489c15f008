/** Values the UI tests build on: an entry as the core sends it, with the fields a test sets. */
import type { EntryView } from "../lib/backend";

export function entryView(fields: Partial<EntryView>): EntryView {
  return {
    id: 1,
    kind: "glucose",
    at: "2026-03-01T07:30:00+01:00",
    value: null,
    unit: null,
    systolic: null,
    diastolic: null,
    mean_arterial: null,
    pulse: null,
    text: null,
    meal: null,
    source: "manual",
    sequenceNumber: null,
    note: null,
    flags: [],
    version: 1,
    ...fields,
  };
}
