import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../App.svelte";
import { screens } from "../lib/screens";
import { session } from "../lib/session.svelte";

import { failure, mockCommands as backendWith, type Answers } from "./ipc-mock";

const unlockedJournal: Answers = {
  journalStatus: () => ({ exists: true, unlocked: true, remembered: false }),
  appInfo: () => ({ version: "0.1.0", platform: "linux" }),
  listEntries: () => ({ entries: [], more: false }),
};

beforeEach(() => {
  window.location.hash = "";
  // Each test is a fresh launch; the session module outlives a render.
  session.phase = "starting";
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App frame", () => {
  it("lists every screen in the main navigation", async () => {
    backendWith(unlockedJournal);
    render(App);
    const nav = await view.findByRole("navigation", { name: "Main" });
    const links = nav.querySelectorAll("a[data-screen]");
    expect([...links].map((a) => a.textContent?.trim())).toEqual(screens.map((s) => s.label));
  });

  it("opens a screen, marks it current and focuses its heading", async () => {
    backendWith(unlockedJournal);
    render(App);
    await fireEvent.click(await view.findByRole("link", { name: "Trends" }));
    const heading = await view.findByRole("heading", { level: 1, name: "Trends" });
    expect(document.activeElement).toBe(heading);
    expect(view.getByRole("link", { name: "Trends" }).getAttribute("aria-current")).toBe("page");
    expect(window.location.hash).toBe("#/trends");
  });

  it("opens the Sharing screen with the care teams the core reports", async () => {
    backendWith({
      ...unlockedJournal,
      sharingView: () => ({ careTeams: [], log: [], changes: [], shareable: ["glucose"], problem: null }),
    });
    render(App);
    await fireEvent.click(await view.findByRole("link", { name: "Sharing" }));
    expect(await view.findByRole("heading", { level: 1, name: "Sharing" })).toBeTruthy();
    expect(await view.findByRole("heading", { name: "Add a care team" })).toBeTruthy();
    expect(view.queryByRole("heading", { name: "Not available yet" })).toBeNull();
  });
});

describe("First run and unlock", () => {
  it("starts at first run when there is no journal", async () => {
    backendWith({ journalStatus: () => ({ exists: false, unlocked: false, remembered: false }) });
    render(App);
    expect(await view.findByRole("heading", { name: "Create your journal" })).toBeTruthy();
  });

  it("shows the recovery key once the journal is created, then opens the app", async () => {
    backendWith({
      ...unlockedJournal,
      journalStatus: () => ({ exists: false, unlocked: false, remembered: false }),
      passphraseStrength: () => ({ score: 4, label: "very strong", advice: null, acceptable: true }),
      createJournal: (args) => {
        expect(args).toEqual({ passphrase: "quartz lantern orbit", remember: false });
        return { recoveryKey: "ABCD-EFGH", keychainProblem: null };
      },
    });
    render(App);
    await fireEvent.input(await view.findByLabelText("Passphrase"), { target: { value: "quartz lantern orbit" } });
    await fireEvent.input(view.getByLabelText("Type it again"), { target: { value: "quartz lantern orbit" } });
    const create = view.getByRole("button", { name: "Create journal" });
    await view.findByText(/Strength: very strong/);
    await fireEvent.click(create);
    expect(await view.findByText("ABCD-EFGH")).toBeTruthy();
    const proceed = view.getByRole("button", { name: "Continue" });
    expect((proceed as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(view.getByLabelText("I have written down my recovery key"));
    await fireEvent.click(proceed);
    expect(await view.findByRole("navigation", { name: "Main" })).toBeTruthy();
  });

  it("says a passphrase was wrong and stays on the unlock screen", async () => {
    backendWith({
      journalStatus: () => ({ exists: true, unlocked: false, remembered: false }),
      unlockJournal: () => {
        throw failure("wrong-passphrase", "That passphrase did not unlock the journal.");
      },
    });
    render(App);
    await fireEvent.input(await view.findByLabelText("Passphrase"), { target: { value: "nope nope nope" } });
    await fireEvent.click(view.getByRole("button", { name: "Unlock" }));
    expect((await view.findByRole("alert")).textContent).toContain("did not unlock");
    expect(view.getByRole("heading", { name: "Unlock your journal" })).toBeTruthy();
  });

  it("asks for the passphrase before restoring in place of a damaged journal", async () => {
    let setAsideWith: unknown = null;
    backendWith({
      journalStatus: () => ({ exists: true, unlocked: false, remembered: true }),
      unlockRemembered: () => {
        throw failure("journal-damaged", "The journal is damaged or was altered.");
      },
      setAsideDamagedJournal: (args) => {
        setAsideWith = args.secret;
        return "/data/damaged-20261204T190000Z";
      },
    });
    render(App);
    // The device key found the damage, so no secret has been typed yet.
    expect((await view.findByRole("alert")).textContent).toContain("damaged");
    const restore = view.getByRole("button", { name: "Restore from a backup…" }) as HTMLButtonElement;
    expect(restore.disabled).toBe(true);
    expect(restore.getAttribute("aria-describedby")).toBe("restore-hint");
    expect(view.getByText(/first type your passphrase above/)).toBeTruthy();
    await fireEvent.input(view.getByLabelText("Passphrase"), { target: { value: "the real one" } });
    expect(restore.disabled).toBe(false);
    await fireEvent.click(restore);
    await view.findByRole("button", { name: "Choose the backup file…" });
    expect(setAsideWith).toEqual({ with: "passphrase", passphrase: "the real one" });
  });
});
