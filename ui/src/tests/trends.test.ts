import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { TrendsRequest, TrendsView } from "../lib/backend";
import { screens } from "../lib/screens";
import Trends from "../screens/Trends.svelte";
import { mockCommands } from "./ipc-mock";

const trendsScreen = screens.find((s) => s.id === "trends")!;

const week: TrendsView = {
  stats: {
    period: { from: "2026-12-01T00:00:00+01:00", to: "2026-12-08T00:00:00+01:00", time_zone: "Europe/Berlin", calendar_days: 7 },
    blood_pressure: {
      unit: "mmHg",
      n_readings: 24,
      days: 6,
      first_day_discarded: "2026-12-01",
      mean: { systolic: 131.4, diastolic: 82.2, pulse: 68 },
      morning: { systolic: 134, diastolic: 81, n: 12 },
      evening: { systolic: 129, diastolic: 83, n: 12 },
      category: "stage_1",
      home_high: false,
      n_at_or_above_135_85: 9,
      readings_by_category: { normal: 3, elevated: 6, stage_1: 10, stage_2: 5 },
    },
  },
  charts: [
    {
      kind: "bp",
      title: "Blood pressure",
      description: "24 readings over 6 days, averaging 131/82 mmHg.",
      svg: "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    },
  ],
};

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Trends screen", () => {
  it("shows the numbers, the chart with its text alternative, and its table", async () => {
    const asked: TrendsRequest[] = [];
    mockCommands({
      trendsView: (args) => {
        asked.push(args.request as TrendsRequest);
        return week;
      },
    });
    render(Trends, { screen: trendsScreen });
    expect(await view.findByText("stage 1")).toBeTruthy();
    expect(view.getByText("stage 1").closest("dd")?.textContent).toContain("131/82 mmHg");
    expect(view.getByText(/first day \(2026-12-01\) is left out/)).toBeTruthy();
    expect(view.getByText("24 readings over 6 days, averaging 131/82 mmHg.")).toBeTruthy();
    expect(view.getByAltText("Blood pressure chart, described below")).toBeTruthy();
    expect(asked[0]).toMatchObject({ days: 14, charts: true, from: null, to: null });

    await fireEvent.click(view.getByText("Show the numbers as a table"));
    const mornings = view.getByRole("rowheader", { name: "Mornings" });
    expect(mornings.closest("tr")?.textContent).toContain("134/81");

    await fireEvent.click(view.getByLabelText("90 days"));
    await view.findByText("stage 1");
    expect(asked.at(-1)).toMatchObject({ days: 90 });
  });

  it("says when a period holds no readings", async () => {
    mockCommands({
      trendsView: () => ({ stats: { period: week.stats.period }, charts: [] }),
    });
    render(Trends, { screen: trendsScreen });
    expect(await view.findByText(/No readings in this period/)).toBeTruthy();
  });
});

describe("Today screen", () => {
  it("sums up today's blood pressure beside the latest readings", async () => {
    const { default: Today } = await import("../screens/Today.svelte");
    const todayScreen = screens.find((s) => s.id === "today")!;
    const asked: TrendsRequest[] = [];
    mockCommands({
      watchLive: (a) => {
        (a.updates as { onmessage: (u: unknown) => void }).onmessage({ readings: [], alerts: [], message: null });
        return null;
      },
      trendsView: (args) => {
        asked.push(args.request as TrendsRequest);
        return { stats: week.stats, charts: [] };
      },
    });
    render(Today, { screen: todayScreen });
    expect(await view.findByRole("heading", { name: "Today so far" })).toBeTruthy();
    expect(view.getByText("131/82 mmHg")).toBeTruthy();
    expect(view.getByText(/average of 24 readings, stage 1/)).toBeTruthy();
    expect(asked[0]).toMatchObject({ days: 1, charts: false });
  });
});

describe("Today's alerts", () => {
  it("lists each alert with the reading and what to do", async () => {
    const { default: Today } = await import("../screens/Today.svelte");
    const todayScreen = screens.find((s) => s.id === "today")!;
    const reading = {
      id: 7,
      kind: "glucose" as const,
      at: "2026-12-07T22:00:00+01:00",
      value: "2.5",
      unit: "mmol/L" as const,
      source: "manual" as const,
      sequenceNumber: null,
      note: null,
      flags: ["implausible" as const],
      version: 1,
    };
    mockCommands({
      watchLive: (a) => {
        (a.updates as { onmessage: (u: unknown) => void }).onmessage({
          readings: [reading],
          alerts: [
            {
              id: 1,
              kind: "glucose_very_low",
              title: "Very low glucose",
              guidance: "Treat it and measure again in 15 minutes.",
              raisedAt: "2026-12-07T21:00:00+00:00",
              reading,
            },
          ],
          message: null,
        });
        return null;
      },
    });
    render(Today, { screen: todayScreen });
    expect(await view.findByRole("heading", { name: "Alerts" })).toBeTruthy();
    expect(view.getByText("Very low glucose: 2.5 mmol/L")).toBeTruthy();
    expect(view.getByText("Treat it and measure again in 15 minutes.")).toBeTruthy();
  });
});

describe("Report screen", () => {
  it("starts from the last report, and with a week when there is only blood pressure", async () => {
    const { default: Report } = await import("../screens/Report.svelte");
    const { sinceLastReport } = await import("../lib/trends");
    const reportScreen = screens.find((s) => s.id === "report")!;
    const fiveDaysAgo = new Date();
    fiveDaysAgo.setDate(fiveDaysAgo.getDate() - 5);
    const pad = (n: number): string => String(n).padStart(2, "0");
    const last = `${fiveDaysAgo.getFullYear()}-${pad(fiveDaysAgo.getMonth() + 1)}-${pad(fiveDaysAgo.getDate())}`;
    const asked: TrendsRequest[] = [];
    mockCommands({
      reportStart: () => ({ lastReport: last, days: 7 }),
      trendsView: (args) => {
        asked.push(args.request as TrendsRequest);
        return { stats: week.stats, charts: [] };
      },
      reportPreview: () => ({ pages: 2, bytes: 120_000, entries: 30 }),
    });
    render(Report, { screen: reportScreen });
    expect(await view.findByText(/Your last report was saved on/)).toBeTruthy();
    expect(await view.findByText(/the PDF has 2 pages/)).toBeTruthy();
    expect(asked[0]).toMatchObject({ from: last, to: sinceLastReport(last)!.to });

    cleanup();
    clearMocks();
    const second: TrendsRequest[] = [];
    mockCommands({
      reportStart: () => ({ lastReport: null, days: 7 }),
      trendsView: (args) => {
        second.push(args.request as TrendsRequest);
        return { stats: week.stats, charts: [] };
      },
      reportPreview: () => ({ pages: 1, bytes: 60_000, entries: 12 }),
    });
    render(Report, { screen: reportScreen });
    expect(await view.findByText(/the PDF has 1 page/)).toBeTruthy();
    expect(view.queryByText(/Your last report/)).toBeNull();
    expect(second[0]).toMatchObject({ days: 7, from: null, to: null });
  });
});

describe("since the last report", () => {
  it("runs from that day through today, and not for today, never or over a year ago", async () => {
    const { sinceLastReport } = await import("../lib/trends");
    const today = new Date(2026, 11, 7, 15, 0);
    expect(sinceLastReport("2026-11-20", today)).toEqual({ from: "2026-11-20", to: "2026-12-08" });
    expect(sinceLastReport("2026-12-07", today)).toBeNull();
    expect(sinceLastReport(null, today)).toBeNull();
    expect(sinceLastReport("2025-12-06", today)).toBeNull();
    expect(sinceLastReport("2025-12-07", today)).toEqual({ from: "2025-12-07", to: "2026-12-08" });
  });
});
