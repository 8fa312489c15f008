/**
 * A typed stand-in for the Rust side in UI tests: each answer is checked against what the
 * generated bindings say that command returns, so a test cannot hand a screen a shape the core
 * never sends. Commands without an answer resolve to null; an answer may throw an `IpcError`.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { commands, IpcError } from "../lib/backend/bindings";


type Commands = typeof commands;
type Reply<K extends keyof Commands> = Awaited<ReturnType<Commands[K]>>;

/** What a test answers, per command (named as the bindings name them, e.g. `listDevices`). */
export type Answers = {
  [K in keyof Commands]?: (args: Record<string, unknown>) => Reply<K> | Promise<Reply<K>>;
};

/** The bindings' name for an IPC command name (`list_devices` → `listDevices`). */
function bindingName(command: string): string {
  return command.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function mockCommands(answers: Answers): void {
  mockIPC((command, args) => {
    const answer = answers[bindingName(command) as keyof Commands] as
      | ((args: Record<string, unknown>) => unknown)
      | undefined;
    return answer ? answer((args ?? {}) as Record<string, unknown>) : null;
  });
}

/** An `IpcError` as a command rejects with it. */
export function failure(kind: IpcError["kind"], message: string, field: IpcError["field"] = null): IpcError {
  return { kind, message, field };
}
