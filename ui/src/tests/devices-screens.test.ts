import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeviceView, LiveUpdate, SyncProgress, SyncSummary } from "../lib/backend";
import Devices from "../screens/Devices.svelte";
import Today from "../screens/Today.svelte";
import { router } from "../lib/router.svelte";
import { screens } from "../lib/screens";
import { entryView } from "./fixtures";
import { mockCommands } from "./ipc-mock";

type Sink<T> = { onmessage: (message: T) => void };

const devicesScreen = screens.find((s) => s.id === "devices")!;
const todayScreen = screens.find((s) => s.id === "today")!;

const meter: DeviceView = {
  id: "demo:glucose",
  kind: "glucose",
  maker: "Vitalog",
  model: "Demo Glucose Meter",
  serial: "DEMO-000001",
  firmware: "1.0.0",
  batteryPercent: 87,
  lastSync: null,
  clockDriftS: 47 * 60,
  demo: true,
};

const reading = entryView({
  at: "2026-12-04T07:30:00+01:00",
  value: "5.8",
  unit: "mmol/L",
  source: "demo",
  sequenceNumber: 200,
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Devices screen", () => {
  it("looks for monitors at once when Today's Pair a monitor opened it", async () => {
    let scans = 0;
    mockCommands({
      listDevices: () => [],
      radioState: () => ({
        bluetoothProblem: null,
        bluetoothDetail: null,
        demoShown: true,
        demoChosen: true,
        demo: { records: 200, problem: "none" },
      }),
      scanDevices: () => {
        scans += 1;
        return [];
      },
    });
    router.go("devices", "add-device");
    render(Devices, { screen: devicesScreen });
    expect(await view.findByRole("heading", { name: "Add a device" })).toBeTruthy();
    expect(scans).toBe(1);
  });

  it("shows a paired monitor and syncs it with a progress bar and a summary", async () => {
    let progress: Sink<SyncProgress> | null = null;
    let finish: (summary: SyncSummary) => void = () => {};
    mockCommands({
      listDevices: () => [meter],
      radioState: () => ({
        bluetoothProblem: "Bluetooth is off or not available on this computer.",
        bluetoothDetail: "Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory",
        demoShown: true,
        demoChosen: false,
        demo: { records: 200, problem: "none" },
      }),
      syncDevice: (a) => {
        progress = a.progress as Sink<SyncProgress>;
        expect(a.setClock).toBe(false);
        return new Promise<SyncSummary>((resolve) => (finish = resolve));
      },
    });
    render(Devices, { screen: devicesScreen });
    expect(await view.findByText("Bluetooth is not available")).toBeTruthy();
    // The system's words wait behind Details; the sentence is what the patient reads first.
    const details = view.getByText("Details").closest("details")!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain("No such file or directory");
    expect(view.getByText("Bluetooth is off or not available on this computer.")).toBeTruthy();
    expect((await view.findAllByText(/47 min fast/)).length).toBeGreaterThan(0);

    await fireEvent.click(await view.findByRole("button", { name: "Sync now" }));
    await vi.waitFor(() => expect(progress).not.toBeNull());
    progress!.onmessage({ type: "records", received: 50, expected: 200 });
    expect(await view.findByText("50 of 200 records")).toBeTruthy();
    const bar = document.querySelector("progress[aria-label='Sync progress']") as HTMLProgressElement;
    expect(bar.max).toBe(200);
    expect(bar.value).toBe(50);

    finish({ new: 100, alreadyPresent: 0, rejected: 0, interrupted: "The link to demo:glucose was lost." });
    expect(await view.findByText("100 new readings saved.")).toBeTruthy();
    expect(await view.findByText(/stopped early/)).toBeTruthy();
  });
});

describe("Today screen", () => {
  it("shows the latest reading of each kind as the core sends them", async () => {
    let updates: Sink<LiveUpdate> | null = null;
    mockCommands({
      watchLive: (a) => {
        updates = a.updates as Sink<LiveUpdate>;
        updates.onmessage({ readings: [], alerts: [], message: null });
        return null;
      },
    });
    render(Today, { screen: todayScreen });
    expect(await view.findByText(/No readings yet/)).toBeTruthy();

    updates!.onmessage({ readings: [reading], alerts: [], message: "12 new readings from the demo glucose monitor." });
    expect(await view.findByText("5.8 mmol/L")).toBeTruthy();
    expect(view.getByText("Demo data")).toBeTruthy();
    expect(view.getByRole("status").textContent).toContain("12 new readings");
  });
});
