import { describe, expect, it } from "vitest";
import type { GrantView } from "../lib/backend";
import { checkDraft, draftOf, emptyDraft, grantInput, localWhen, queueWords, revokeWords, untilWords } from "../lib/sharing";

/** A local moment as the core sends it (RFC 3339 in UTC). */
const local = (year: number, month: number, day: number, hours = 0, minutes = 0): string =>
  new Date(year, month - 1, day, hours, minutes).toISOString();

const grant = (fields: Partial<GrantView>): GrantView => ({
  kinds: ["glucose"],
  notes: false,
  since: null,
  realtime: true,
  until: null,
  state: "active",
  ...fields,
});

describe("sharing words", () => {
  it("says times in this computer's clock, relative to today", () => {
    const now = new Date(2026, 2, 10, 15, 0);
    expect(localWhen(local(2026, 3, 10, 14, 32), now)).toBe("14:32 today");
    expect(localWhen(local(2026, 3, 9, 8, 5), now)).toBe("08:05 yesterday");
    expect(localWhen(local(2026, 3, 11, 0, 1), now)).toBe("00:01 tomorrow");
    expect(localWhen(local(2026, 3, 1, 7, 0), now)).toMatch(/2026, 07:00$/);
  });

  it("says the last day of sharing, not the midnight that ends it", () => {
    expect(untilWords(local(2026, 4, 1))).toMatch(/31/);
    expect(untilWords(null)).toBe("Until you pause or revoke it");
  });

  it("counts the queue and the readings a revoke cancels", () => {
    expect(queueWords(0, 0)).toEqual(["Nothing waiting"]);
    expect(queueWords(1200, 2)).toEqual(["1,200 waiting", "2 refused by the server"]);
    expect(revokeWords("Clinic", 1)).toBe(
      "Nothing more will be sent to Clinic. The 1 reading still waiting will be cancelled. What Clinic already received stays on their server.",
    );
    expect(revokeWords("Clinic", 0)).toBe(
      "Nothing more will be sent to Clinic. What Clinic already received stays on their server.",
    );
  });
});

describe("the grant form", () => {
  it("starts from what a care team receives, never reaching further back", () => {
    expect(draftOf(grant({ since: local(2026, 3, 1), until: local(2026, 4, 1) }))).toEqual({
      kinds: ["glucose"],
      since: "day",
      day: "2026-03-01",
      realtime: true,
      notes: false,
      until: "2026-03-31",
    });
    // "Only new readings" started mid-day: changing it starts from now again, not the whole day.
    expect(draftOf(grant({ since: local(2026, 3, 10, 14, 32) }))).toMatchObject({ since: "only-new", day: "" });
    expect(draftOf(grant({ since: null }))).toMatchObject({ since: "everything" });
  });

  it("turns the draft into the core's grant, kinds in the vocabulary's order", () => {
    expect(grantInput({ ...emptyDraft(), kinds: ["weight", "glucose"], since: "day", day: "2026-03-01", until: "2026-03-31" })).toEqual({
      kinds: ["glucose", "weight"],
      notes: false,
      since: { from: "day", day: "2026-03-01" },
      realtime: true,
      until: "2026-03-31",
    });
  });

  it("points at the first thing to fix", () => {
    expect(checkDraft(emptyDraft(), "2026-03-10")?.field).toBe("kinds");
    expect(checkDraft({ ...emptyDraft(), kinds: ["bp"], since: "day" }, "2026-03-10")?.field).toBe("day");
    expect(checkDraft({ ...emptyDraft(), kinds: ["bp"], until: "2026-03-09" }, "2026-03-10")?.field).toBe("until");
    expect(checkDraft({ ...emptyDraft(), kinds: ["bp"], until: "2026-03-10" }, "2026-03-10")).toBeNull();
  });
});
