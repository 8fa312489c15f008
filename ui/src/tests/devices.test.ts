import { describe, expect, it } from "vitest";
import { driftWords, monitorKindLabel, progressText, signal, sinceWords, syncSummaryText } from "../lib/devices";

describe("device words", () => {
  it("names monitor kinds and falls back for unknown ones", () => {
    expect(monitorKindLabel("blood-pressure")).toBe("Blood-pressure cuff");
    expect(monitorKindLabel(null)).toBe("Health monitor");
  });

  it("turns RSSI into bars", () => {
    expect(signal(-52).bars).toBe(4);
    expect(signal(-75)).toEqual({ bars: 2, words: "fair signal" });
    expect(signal(-95).bars).toBe(1);
    expect(signal(null).bars).toBe(0);
  });

  it("says clock drift in hours and minutes, ignoring under a minute", () => {
    expect(driftWords(30)).toBeNull();
    expect(driftWords(null)).toBeNull();
    expect(driftWords(47 * 60)).toBe("47 min fast");
    expect(driftWords(-3600 - 120)).toBe("1 h 2 min slow");
    expect(driftWords(7200)).toBe("2 h fast");
  });

  it("says how long ago a sync was", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    expect(sinceWords(null, now)).toBe("never");
    expect(sinceWords("2026-12-04T11:59:30Z", now)).toBe("just now");
    expect(sinceWords("2026-12-04T11:55:00Z", now)).toBe("5 minutes ago");
    expect(sinceWords("2026-12-04T09:00:00Z", now)).toBe("3 hours ago");
    expect(sinceWords("2026-12-03T09:00:00Z", now)).toBe("yesterday");
  });

  it("words progress and summaries", () => {
    expect(progressText(50, 200)).toBe("50 of 200 records");
    expect(progressText(1, null)).toBe("1 record received");
    expect(syncSummaryText({ new: 0, alreadyPresent: 0, rejected: 0 })).toBe("No new readings.");
    expect(syncSummaryText({ new: 100, alreadyPresent: 3, rejected: 1 })).toBe(
      "100 new readings saved, 3 already in your journal, 1 damaged or impossible value left out.",
    );
  });
});
