import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import RecoveryKeySheet from "../lib/components/RecoveryKeySheet.svelte";
import { mockCommands } from "./ipc-mock";

const KEY = "7I25-WAJL-LSFL-CCZA-7J2F-YVTU-T3GH-J4G2-ZBZH";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Recovery key sheet", () => {
  it("saves the key shown as a file and opens the print dialog", async () => {
    const saved: unknown[] = [];
    let printed = 0;
    mockCommands({
      saveRecoveryKey: (args) => {
        saved.push(args);
        return { path: "/media/usb/vitalog-recovery-key.txt", bytes: 300, entries: null };
      },
      printPage: () => {
        printed += 1;
        return null;
      },
    });
    render(RecoveryKeySheet, { recoveryKey: KEY });
    expect(view.getByText(KEY)).toBeTruthy();
    await fireEvent.click(view.getByRole("button", { name: "Save as a file…" }));
    expect(await view.findByText(/^Saved to \/media\/usb\/vitalog-recovery-key\.txt\./)).toBeTruthy();
    expect(saved).toEqual([{ key: KEY }]);
    await fireEvent.click(view.getByRole("button", { name: "Print…" }));
    expect(printed).toBe(1);
  });

  it("says what to do when copying is not available", async () => {
    mockCommands({});
    Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    render(RecoveryKeySheet, { recoveryKey: KEY });
    await fireEvent.click(view.getByRole("button", { name: "Copy" }));
    expect(await view.findByText(/Copying is not available here/)).toBeTruthy();
  });

  it("copies the key and reminds the patient to clear the clipboard", async () => {
    mockCommands({});
    const copied: string[] = [];
    Object.defineProperty(navigator, "clipboard", {
      value: { writeText: async (text: string) => void copied.push(text) },
      configurable: true,
    });
    render(RecoveryKeySheet, { recoveryKey: KEY });
    await fireEvent.click(view.getByRole("button", { name: "Copy" }));
    expect(await view.findByText(/^Copied\./)).toBeTruthy();
    expect(copied).toEqual([KEY]);
  });
});
