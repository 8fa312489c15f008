/**
 * Where the app stands with the journal (first run, locked, unlocked) and the idle timer that
 * locks it again. Screens read `session.phase`; only this module changes it.
 */
import { backend } from "./backend";

export type Phase = "starting" | "first-run" | "locked" | "unlocked" | "unavailable";

const AUTO_LOCK_KEY = "vitalog.autoLockMinutes";
export const autoLockChoices = [1, 5, 15, 30, 60] as const;
const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

export function loadAutoLockMinutes(storage: Storage = window.localStorage): number {
  const saved = Number(storage.getItem(AUTO_LOCK_KEY));
  return autoLockChoices.find((m) => m === saved) ?? 5;
}

class Session {
  phase = $state<Phase>("starting");
  /** Set when the journal could not be checked at all (shown on the start screen). */
  problem = $state<string | null>(null);
  /** This device remembers the key, so unlocking may not need the passphrase. */
  remembered = $state(false);
  /** Why the last lock happened, shown on the unlock screen. */
  lockReason = $state<string | null>(null);
  /**
   * Whether the unlock screen may use this device's key by itself: only when the app starts.
   * After a lock (by the patient or the idle timer) it waits to be asked.
   */
  unlockByDeviceOnShow = $state(true);
  /** Where a damaged journal was moved, shown at first run until a journal exists again. */
  setAsideFolder = $state<string | null>(null);
  autoLockMinutes = $state(loadAutoLockMinutes());
  #timer: ReturnType<typeof setTimeout> | undefined;
  #holds = 0;
  #onActivity = () => this.#restartTimer();

  async start(): Promise<void> {
    try {
      const status = await backend.journalStatus();
      this.remembered = status.remembered;
      this.phase = !status.exists ? "first-run" : status.unlocked ? "unlocked" : "locked";
      if (this.phase === "unlocked") this.#watchActivity();
    } catch (error) {
      this.problem = backend.describe(error);
      this.phase = "unavailable";
    }
  }

  unlocked(): void {
    this.lockReason = null;
    this.setAsideFolder = null;
    this.phase = "unlocked";
    this.#watchActivity();
  }

  async lock(reason: string | null = null): Promise<void> {
    this.#stopWatching();
    this.unlockByDeviceOnShow = false;
    await backend.lock();
    this.lockReason = reason;
    this.phase = "locked";
  }

  /**
   * A damaged journal was moved aside to `folder`: first run again, starting with restoring a
   * backup, and saying where the damaged files are.
   */
  setAside(folder: string): void {
    this.#stopWatching();
    this.remembered = false;
    this.lockReason = null;
    this.setAsideFolder = folder;
    this.phase = "first-run";
  }

  /** After "erase everything": no journal, so first run again. */
  erased(): void {
    this.#stopWatching();
    this.remembered = false;
    this.lockReason = null;
    this.phase = "first-run";
  }

  setAutoLockMinutes(minutes: number, storage: Storage = window.localStorage): void {
    this.autoLockMinutes = minutes;
    storage.setItem(AUTO_LOCK_KEY, String(minutes));
    this.#restartTimer();
  }

  #watchActivity(): void {
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, this.#onActivity, { passive: true });
    this.#restartTimer();
  }

  #stopWatching(): void {
    for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, this.#onActivity);
    clearTimeout(this.#timer);
  }

  /**
   * Keeps the journal from locking itself while something the patient started is under way
   * (a native file dialog, which the page gets no activity from) or must stay on screen (a
   * recovery key shown once). Returns the function that lets go; the idle time starts again
   * then.
   */
  holdOpen(): () => void {
    this.#holds += 1;
    clearTimeout(this.#timer);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds -= 1;
      this.#restartTimer();
    };
  }

  #restartTimer(): void {
    clearTimeout(this.#timer);
    if (this.phase !== "unlocked" || this.#holds > 0) return;
    this.#timer = setTimeout(
      () => void this.lock(`Locked after ${this.autoLockMinutes} minutes without activity.`),
      this.autoLockMinutes * 60_000,
    );
  }
}

export const session = new Session();
