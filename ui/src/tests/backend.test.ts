import { clearMocks } from "@tauri-apps/api/mocks";
import { failure, mockCommands } from "./ipc-mock";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError, backend, normaliseError } from "../lib/backend";

afterEach(() => clearMocks());

describe("backend", () => {
  it("returns what the command answers", async () => {
    mockCommands({ appInfo: () => ({ version: "9.9.9", platform: "linux" }) });
    await expect(backend.appInfo()).resolves.toEqual({ version: "9.9.9", platform: "linux" });
  });

  it("turns a rejected IpcError into a BackendError with its kind", async () => {
    mockCommands({
      appInfo: () => {
        throw failure("invalid-input", "That date is in the future.");
      },
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: "invalid-input", message: "That date is in the future." });
  });

  it("treats anything else as an unavailable backend with a helpful sentence", () => {
    const error = normaliseError(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    expect(error.kind).toBe("backend-unavailable");
    expect(error.message).toMatch(/reopen the app/);
  });
});
