/**
 * How sharing with care teams reads on screen: grant states and send results in words, times
 * in this computer's time zone ("14:32 today"), and the grant form's draft, which turns into
 * the `GrantInput` the core checks. The core works in instants; the patient chooses days.
 */
import type { GrantInput, GrantStateView, GrantView, Kind } from "./backend";
import { entryKinds, kindLabels } from "./entries";
import { counted } from "./words";

export const stateLabels: Record<GrantStateView, string> = {
  active: "Sharing",
  paused: "Paused",
  revoked: "Revoked",
  ended: "Ended",
};

/** What each state means for the patient, in one sentence. */
export const stateMeanings: Record<GrantStateView, string> = {
  active: "Readings go to this care team as chosen below.",
  paused: "Nothing is sent. New readings wait here until you resume.",
  revoked: "Nothing is sent. Resume to share again on the same terms.",
  ended: "The last day of sharing has passed. Change what is shared to set a new one.",
};

const resultLabels: Record<string, string> = {
  delivered: "Delivered",
  retry: "Will retry",
  refused: "Refused",
};

/** A send attempt's result in words (the log keeps `delivered`, `retry` or `refused`). */
export function resultLabel(result: string): string {
  return resultLabels[result] ?? result;
}

const byLabels: Record<string, string> = {
  app: "App",
  "command line": "Command line",
};

/** Where a consent change was made. */
export function byLabel(by: string): string {
  return byLabels[by] ?? by;
}

/** Kinds as a patient reads them, in the vocabulary's order: "Glucose, Blood pressure". */
export function kindList(kinds: readonly Kind[]): string {
  return entryKinds
    .filter((kind) => kinds.includes(kind))
    .map((kind) => kindLabels[kind])
    .join(", ");
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** "14:32" on this computer's clock. */
export function clock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `YYYY-MM-DD` of a moment on this computer's calendar (what a date input holds). */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "10 March 2026", in the patient's language. */
function longDate(date: Date): string {
  return date.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });
}

/**
 * An RFC 3339 moment in this computer's time: "14:32 today", "09:10 yesterday", "08:00
 * tomorrow", or "3 Dec 2026, 14:32".
 */
export function localWhen(at: string, now: Date = new Date()): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const days = Math.round((startOfDay(date) - startOfDay(now)) / 86_400_000);
  const time = clock(date);
  if (days === 0) return `${time} today`;
  if (days === -1) return `${time} yesterday`;
  if (days === 1) return `${time} tomorrow`;
  const day = date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  return `${day}, ${time}`;
}

const isMidnight = (date: Date): boolean => date.getHours() === 0 && date.getMinutes() === 0;

/** Which readings a grant reaches back to, in words. */
export function sinceWords(since: string | null): string {
  if (since === null) return "Your whole history";
  const date = new Date(since);
  if (Number.isNaN(date.getTime())) return since;
  return isMidnight(date)
    ? `Readings taken from ${longDate(date)}`
    : `Readings taken from ${longDate(date)}, ${clock(date)}`;
}

/**
 * The last day of sharing: the core keeps the midnight that ends it, so it is the day before
 * that instant on this computer's calendar.
 */
export function lastDay(until: string): Date {
  return new Date(new Date(until).getTime() - 1);
}

/** When a grant ends, in words. */
export function untilWords(until: string | null): string {
  if (until === null) return "Until you pause or revoke it";
  const day = lastDay(until);
  if (Number.isNaN(day.getTime())) return until;
  return `Until the end of ${longDate(day)}`;
}

/** A care team's queue, in short phrases: "3 waiting", "1 refused by the server". */
export function queueWords(pending: number, refused: number): string[] {
  const words = [pending === 0 ? "Nothing waiting" : `${pending.toLocaleString("en")} waiting`];
  if (refused > 0) words.push(`${refused.toLocaleString("en")} refused by the server`);
  return words;
}

/** The revoke confirmation: exactly what stops and what stays. */
export function revokeWords(name: string, pending: number): string {
  const waiting =
    pending > 0
      ? ` The ${counted(pending, "reading", "readings")} still waiting will be cancelled.`
      : "";
  return `Nothing more will be sent to ${name}.${waiting} What ${name} already received stays on their server.`;
}

export type SinceChoice = "only-new" | "day" | "everything";

/** What the grant form holds while the patient fills it in. */
export type GrantDraft = {
  kinds: Kind[];
  since: SinceChoice;
  /** The first day, when `since` is "day" (`YYYY-MM-DD`). */
  day: string;
  realtime: boolean;
  notes: boolean;
  /** The last day of sharing (`YYYY-MM-DD`), or empty. */
  until: string;
};

/** A new grant: nothing chosen, only new readings, in real time, without notes, no end. */
export function emptyDraft(): GrantDraft {
  return { kinds: [], since: "only-new", day: "", realtime: true, notes: false, until: "" };
}

/**
 * The form for changing `grant`. A start at a local midnight was a day the patient chose; any
 * other start was "only new readings", which starts again from now: the form never reaches
 * further back than the patient already agreed to.
 */
export function draftOf(grant: GrantView | null): GrantDraft {
  if (grant === null) return emptyDraft();
  const start = grant.since === null ? null : new Date(grant.since);
  let since: SinceChoice = "only-new";
  let day = "";
  if (start === null) since = "everything";
  else if (!Number.isNaN(start.getTime()) && isMidnight(start)) {
    since = "day";
    day = localDay(start);
  }
  return {
    kinds: [...grant.kinds],
    since,
    day,
    realtime: grant.realtime,
    notes: grant.notes,
    until: grant.until === null ? "" : localDay(lastDay(grant.until)),
  };
}

/** The grant the core receives for `draft`. */
export function grantInput(draft: GrantDraft): GrantInput {
  return {
    kinds: entryKinds.filter((kind) => draft.kinds.includes(kind)),
    notes: draft.notes,
    since:
      draft.since === "day"
        ? { from: "day", day: draft.day }
        : draft.since === "everything"
          ? { from: "everything" }
          : { from: "only-new" },
    realtime: draft.realtime,
    until: draft.until === "" ? null : draft.until,
  };
}

/** The grant form's fields a problem can point at. */
export type GrantField = "kinds" | "day" | "until";

/** What is missing or wrong in `draft`, first field first; null when the core can take it. */
export function checkDraft(draft: GrantDraft, today: string = localDay(new Date())): {
  field: GrantField;
  message: string;
} | null {
  if (draft.kinds.length === 0) return { field: "kinds", message: "Choose at least one kind of reading to share." };
  if (draft.since === "day" && draft.day === "") return { field: "day", message: "Choose the first day to share from." };
  if (draft.until !== "" && draft.until < today)
    return { field: "until", message: "The last day of sharing must be today or later." };
  return null;
}
