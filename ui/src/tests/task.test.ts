import { describe, expect, it } from "vitest";

import { Task } from "../lib/task.svelte";

/** How a command's error reaches the page. */
const refused = (message: string) => () => Promise.reject({ kind: "invalid", message });

describe("Task", () => {
  it("is busy with the running work and clears the last problem when work starts", async () => {
    const task = new Task<"backup" | "export">();
    await task.run("export", refused("The disk is full."));
    expect(task.problem?.work).toBe("export");
    expect(task.problemOf("export")).toBe("The disk is full.");
    expect(task.problemOf("backup")).toBeNull();

    let busyDuring: string | null = null;
    const succeeded = await task.run("backup", async () => {
      busyDuring = task.busy;
      expect(task.problem).toBeNull();
    });
    expect(succeeded).toBe(true);
    expect(busyDuring).toBe("backup");
    expect(task.busy).toBeNull();
  });

  it("reports a failure and is no longer busy", async () => {
    const task = new Task<"erase">();
    const succeeded = await task.run("erase", refused("That is not your passphrase."));
    expect(succeeded).toBe(false);
    expect(task.busy).toBeNull();
    expect(task.problemOf("erase")).toBe("That is not your passphrase.");
  });
});
