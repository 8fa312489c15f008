/**
 * The latest reading of each kind and the day's alerts, kept up to date by the core: it sends
 * them when the Today screen subscribes and again after every sync or entry that stores
 * something, in the foreground or the background.
 */
import { backend, type AlertView, type EntryView } from "./backend";

class LiveReadings {
  readings = $state<EntryView[] | null>(null);
  /** The alerts of the last day, newest first. */
  alerts = $state<AlertView[]>([]);
  /** What a background sync just did, for a notice. */
  message = $state<string | null>(null);
  problem = $state<string | null>(null);

  /** Subscribes (again): the core keeps one subscription, so calling this twice is harmless. */
  async start(): Promise<void> {
    try {
      await backend.watchLive((update) => {
        this.readings = update.readings;
        this.alerts = update.alerts;
        if (update.message !== null) this.message = update.message;
      });
      this.problem = null;
    } catch (error) {
      this.problem = backend.describe(error);
    }
  }
}

export const live = new LiveReadings();
