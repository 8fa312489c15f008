import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view, waitFor } from "@testing-library/svelte";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EntryInput, EntryView } from "../lib/backend";
import { router } from "../lib/router.svelte";
import { screens } from "../lib/screens";
import Journal from "../screens/Journal.svelte";
import { entryView } from "./fixtures";
import { failure, mockCommands } from "./ipc-mock";

const journalScreen = screens.find((s) => s.id === "journal")!;

beforeAll(() => {
  // jsdom measures nothing and has no modal dialogs; the list only needs to render and the
  // form to be open.
  globalThis.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
    this.dispatchEvent(new Event("close"));
  };
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Journal screen", () => {
  it("says what was added, and what was deleted with an Undo", async () => {
    const stored: EntryView[] = [];
    mockCommands({
      listEntries: () => ({ entries: [...stored], more: false }),
      addEntry: (args) => {
        const input = args.entry as EntryInput;
        const entry = entryView({ id: 7, kind: input.kind, at: input.at, value: input.value, unit: input.unit });
        stored.push(entry);
        return entry;
      },
      deleteEntry: () => null,
    });
    render(Journal, { screen: journalScreen });
    await fireEvent.click(await view.findByRole("button", { name: "Add entry" }));
    const value = document.querySelector("input[name='value']") as HTMLInputElement;
    await fireEvent.input(value, { target: { value: "5.8" } });
    const when = document.querySelector("input[name='at']") as HTMLInputElement;
    await fireEvent.input(when, { target: { value: "2026-12-07T07:30" } });
    await fireEvent.click(view.getByRole("button", { name: "Add" }));
    const status = await view.findByText(/^Added glucose 5\.8 .* at 07:30 on 2026-12-07\.$/);
    expect(status.closest("[role='status']")).toBeTruthy();
    expect(view.queryByRole("button", { name: "Undo" })).toBeNull();

    await fireEvent.click(await view.findByRole("button", { name: "Delete Glucose of 07:30" }));
    expect(await view.findByText("Glucose of 07:30 deleted.")).toBeTruthy();
    expect(view.getByRole("button", { name: "Undo" })).toBeTruthy();
    expect(view.queryByText(/^Added glucose/)).toBeNull();
  });

  it("marks the field the core refused, ties the message to it and moves there", async () => {
    mockCommands({
      listEntries: () => ({ entries: [], more: false }),
      addEntry: () => {
        throw failure("invalid-input", "The diastolic pressure must be lower than the systolic; nothing was stored.", "diastolic");
      },
    });
    render(Journal, { screen: journalScreen });
    await fireEvent.click(await view.findByRole("button", { name: "Add entry" }));
    await fireEvent.click(view.getByLabelText("Blood pressure"));
    for (const [name, typed] of [
      ["systolic", "80"],
      ["diastolic", "120"],
      ["at", "2026-12-07T07:30"],
    ]) {
      const input = document.querySelector(`input[name='${name}']`) as HTMLInputElement;
      await fireEvent.input(input, { target: { value: typed } });
    }
    await fireEvent.click(view.getByRole("button", { name: "Add" }));
    const message = await view.findByText(/must be lower than the systolic/);
    const diastolic = document.querySelector("input[name='diastolic']") as HTMLInputElement;
    expect(diastolic.getAttribute("aria-invalid")).toBe("true");
    expect(diastolic.getAttribute("aria-describedby")).toBe(message.id);
    await waitFor(() => expect(document.activeElement).toBe(diastolic));
    const systolic = document.querySelector("input[name='systolic']") as HTMLInputElement;
    expect(systolic.getAttribute("aria-invalid")).toBeNull();
  });

  it("opens the add form at once when Today asked for it, and only that once", async () => {
    mockCommands({ listEntries: () => ({ entries: [], more: false }) });
    router.go("journal", "add-entry");
    render(Journal, { screen: journalScreen });
    expect(view.getByRole("heading", { name: "Add to your journal" })).toBeTruthy();
    cleanup();
    render(Journal, { screen: journalScreen });
    expect(view.queryByRole("heading", { name: "Add to your journal" })).toBeNull();
  });
});
