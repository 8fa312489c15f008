import { describe, expect, it } from "vitest";
import { applyAppearance, defaultAppearance, loadAppearance, saveAppearance } from "../lib/appearance";
import { memoryStorage } from "./memory-storage";

describe("appearance", () => {
  it("round-trips through storage", () => {
    const storage = memoryStorage();
    saveAppearance({ theme: "dark", textSize: "larger" }, storage);
    expect(loadAppearance(storage)).toEqual({ theme: "dark", textSize: "larger" });
  });

  it("falls back to defaults for corrupt or unknown values", () => {
    const storage = memoryStorage();
    storage.setItem("vitalog.appearance", "{not json");
    expect(loadAppearance(storage)).toEqual(defaultAppearance);
    storage.setItem("vitalog.appearance", JSON.stringify({ theme: "neon", textSize: "large" }));
    expect(loadAppearance(storage)).toEqual({ theme: "system", textSize: "large" });
  });

  it("sets and clears the attributes the stylesheet keys on", () => {
    const root = document.createElement("html");
    applyAppearance({ theme: "dark", textSize: "large" }, root);
    expect(root.dataset).toMatchObject({ theme: "dark", textSize: "large" });
    applyAppearance(defaultAppearance, root);
    expect(root.dataset.theme).toBeUndefined();
    expect(root.dataset.textSize).toBeUndefined();
  });
});
