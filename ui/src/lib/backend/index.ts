/**
 * The UI's only door to the Rust side. It wraps the generated bindings (bindings.ts, made by
 * `make bindings` from src-tauri) and turns every failure into a {@link BackendError} whose
 * `kind` components can branch on. Components import this module, never `invoke`.
 */
import { commands, type AppInfo, type ErrorKind, type IpcError } from "./bindings";

export type { AppInfo, ErrorKind };

/** What a failed call means to the UI: the backend's closed `kind`, or no backend at all. */
export type FailureKind = ErrorKind | "backend-unavailable";

export class BackendError extends Error {
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string) {
    super(message);
    this.name = "BackendError";
    this.kind = kind;
  }
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.kind === "string" && typeof record.message === "string";
}

/** Converts whatever a call rejected with into a {@link BackendError}. */
export function normaliseError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isIpcError(error)) return new BackendError(error.kind, error.message);
  return new BackendError(
    "backend-unavailable",
    "Vitalog's core did not answer. Close and reopen the app; if this keeps happening, please report it.",
  );
}

async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw normaliseError(error);
  }
}

export const backend = {
  /** The app's version and platform. */
  appInfo: (): Promise<AppInfo> => call(() => commands.appInfo()),
  /** Tells the core that the first screen can take input. */
  appReady: (): Promise<void> => call(() => commands.appReady()).then(() => undefined),
  /** A sentence to show for any error a call threw. */
  describe: (error: unknown): string => normaliseError(error).message,
};
