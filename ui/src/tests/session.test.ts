import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { JournalStatus } from "../lib/backend";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session } from "../lib/session.svelte";
import { memoryStorage } from "./memory-storage";

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe("auto-lock", () => {
  it("waits while something holds the journal open, then counts the idle time again", async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      // Every command is recorded here, so this one mock stays untyped; its one answer is typed.
      const status: JournalStatus = { exists: true, unlocked: true, remembered: false };
      if (cmd === "journal_status") return status;
      return null;
    });
    await session.start();
    session.setAutoLockMinutes(1, memoryStorage());
    const release = session.holdOpen();
    // Activity during the hold (a click before the dialog opened) must not restart the count.
    window.dispatchEvent(new Event("pointerdown"));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(session.phase).toBe("unlocked");
    expect(calls).not.toContain("lock_journal");

    release();
    release(); // letting go twice counts once
    await vi.advanceTimersByTimeAsync(59_000);
    expect(session.phase).toBe("unlocked");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toContain("lock_journal");
    expect(session.phase).toBe("locked");
  });
});
