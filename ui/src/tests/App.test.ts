import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../App.svelte";
import { screens } from "../lib/screens";

beforeEach(() => {
  window.location.hash = "";
  mockIPC((cmd) => (cmd === "app_info" ? { version: "0.1.0", platform: "linux" } : null));
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App frame", () => {
  it("lists every screen in the main navigation", () => {
    render(App);
    const nav = view.getByRole("navigation", { name: "Main" });
    const links = nav.querySelectorAll("a[data-screen]");
    expect([...links].map((a) => a.textContent?.trim())).toEqual(screens.map((s) => s.label));
  });

  it("opens a screen, marks it current and focuses its heading", async () => {
    render(App);
    await fireEvent.click(view.getByRole("link", { name: "Journal" }));
    const heading = await view.findByRole("heading", { level: 1, name: "Journal" });
    expect(document.activeElement).toBe(heading);
    expect(view.getByRole("link", { name: "Journal" }).getAttribute("aria-current")).toBe("page");
    expect(window.location.hash).toBe("#/journal");
  });

  it("says honestly that later screens are not available yet", async () => {
    render(App);
    await fireEvent.click(view.getByRole("link", { name: "Trends" }));
    expect(await view.findByRole("heading", { name: "Not available yet" })).toBeTruthy();
  });
});
