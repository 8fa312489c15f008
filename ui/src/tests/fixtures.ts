/** Values the UI tests build on: an entry as the core sends it, with the fields a test sets. */
import type { CareTeamView, EntryView, SharingView } from "../lib/backend";

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
    origin: null,
    ...fields,
  };
}

/** A care team as the Sharing screen receives it: sharing glucose in real time, nothing queued. */
export function careTeamView(fields: Partial<CareTeamView>): CareTeamView {
  return {
    id: 1,
    name: "Diabetes clinic",
    fhirBase: "https://fhir.example.org/r4",
    patient: "Patient/123",
    signIn: "token",
    grant: {
      kinds: ["glucose"],
      notes: false,
      since: null,
      realtime: true,
      until: null,
      state: "active",
    },
    pending: 0,
    refused: 0,
    nextAttempt: null,
    problem: null,
    lastDelivered: null,
    ...fields,
  };
}

/** The Sharing screen's view: no care team, nothing sent, every reading kind shareable. */
export function sharingView(fields: Partial<SharingView>): SharingView {
  return {
    careTeams: [],
    log: [],
    changes: [],
    shareable: ["glucose", "bp", "weight", "temperature", "spo2", "heart_rate", "body_fat"],
    problem: null,
    ...fields,
  };
}
