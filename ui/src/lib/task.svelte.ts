/**
 * Work the patient started and waits for (a backup, a restore, an erase…): which piece is
 * running, and what went wrong with which, said as a sentence. One piece at a time; starting
 * one clears the last problem.
 */
import { backend } from "./backend";

export class Task<Work extends string> {
  busy = $state<Work | null>(null);
  problem = $state<{ work: Work; text: string } | null>(null);

  /** Runs `action` as `work`; a failure is kept as the problem. Resolves to whether it succeeded. */
  async run(work: Work, action: () => Promise<void>): Promise<boolean> {
    this.busy = work;
    this.problem = null;
    try {
      await action();
      return true;
    } catch (e) {
      this.problem = { work, text: backend.describe(e) };
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** The problem of the last failure, if it was `work`'s. */
  problemOf(work: Work): string | null {
    return this.problem?.work === work ? this.problem.text : null;
  }
}
