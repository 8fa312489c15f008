import { describe, expect, it } from "vitest";
import { screenFromHash } from "../lib/router.svelte";
import { screens } from "../lib/screens";

describe("router", () => {
  it("maps every screen's hash to that screen", () => {
    for (const screen of screens) {
      expect(screenFromHash(`#/${screen.id}`)).toBe(screen.id);
    }
  });

  it("opens Today for an empty or unknown hash", () => {
    expect(screenFromHash("")).toBe("today");
    expect(screenFromHash("#/nowhere")).toBe("today");
  });
});
