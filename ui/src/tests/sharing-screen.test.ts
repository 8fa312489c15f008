import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen as view, within } from "@testing-library/svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CareTeamInput, GrantInput, SharingView, SmartCareTeamInput } from "../lib/backend";
import { screens } from "../lib/screens";
import { clock } from "../lib/sharing";
import Sharing from "../screens/Sharing.svelte";
import { careTeamView, sharingView } from "./fixtures";
import { failure, mockCommands } from "./ipc-mock";

const sharingScreen = screens.find((s) => s.id === "sharing")!;

/** Today at `hours:minutes` on this computer's clock, as the core sends times (UTC). */
function todayAt(hours: number, minutes: number): string {
  const at = new Date();
  at.setHours(hours, minutes, 0, 0);
  return at.toISOString();
}

const clinic = careTeamView({
  id: 4,
  name: "Diabetes clinic",
  grant: { kinds: ["glucose", "bp"], notes: false, since: null, realtime: true, until: null, state: "active" },
  pending: 3,
  refused: 1,
  nextAttempt: todayAt(23, 58),
  problem: "The server did not answer (timed out).",
  lastDelivered: todayAt(9, 5),
});

const cardiology = careTeamView({
  id: 5,
  name: "Cardiology",
  fhirBase: "https://cardio.example.net/fhir",
  patient: "Patient/abc",
  grant: { kinds: ["bp"], notes: true, since: null, realtime: false, until: null, state: "paused" },
});

const withTeams = sharingView({
  careTeams: [clinic, cardiology],
  log: [
    {
      id: 12,
      careTeam: "Diabetes clinic",
      at: todayAt(9, 5),
      kinds: ["bp", "glucose"],
      resources: 2,
      result: "delivered",
      detail: "201 Created",
    },
    {
      id: 11,
      careTeam: "Diabetes clinic",
      at: todayAt(8, 40),
      kinds: ["glucose"],
      resources: 0,
      result: "refused",
      detail: "422: the Observation has no subject",
    },
  ],
  changes: [{ careTeam: "Cardiology", at: todayAt(8, 0), by: "command line", what: "paused sharing" }],
});

function card(name: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-testid="care-team"][data-name="${name}"]`);
  if (!found) throw new Error(`no card for ${name}`);
  return found;
}

const input = (selector: string): HTMLInputElement => {
  const found = document.querySelector<HTMLInputElement>(selector);
  if (!found) throw new Error(`no input ${selector}`);
  return found;
};

beforeAll(() => {
  // jsdom has no modal dialogs; the confirmation only needs to open and close.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
    this.dispatchEvent(new Event("close"));
  };
});

afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe("Sharing screen", () => {
  it("shows each care team's state, terms and queue, and the transmission log", async () => {
    mockCommands({ sharingView: () => withTeams });
    render(Sharing, { screen: sharingScreen });

    await view.findByRole("heading", { level: 3, name: "Diabetes clinic" });
    const diabetes = card("Diabetes clinic");
    expect(within(diabetes).getByTestId("care-team-state").textContent?.trim()).toBe("Sharing");
    expect(diabetes.textContent).toContain("https://fhir.example.org/r4");
    expect(diabetes.textContent).toContain("Patient/123");
    expect(diabetes.textContent).toContain("Glucose, Blood pressure");
    expect(diabetes.textContent).toContain("In real time, as readings arrive");
    expect(diabetes.textContent).toContain("Your whole history");
    const queue = within(diabetes).getByTestId("care-team-queue").textContent ?? "";
    expect(queue).toContain("3 waiting");
    expect(queue).toContain("1 refused by the server");
    expect(queue).toContain(`Last sent ${clock(new Date(todayAt(9, 5)))} today`);
    const alert = within(diabetes).getByRole("alert");
    expect(alert.textContent).toContain("The server did not answer (timed out).");
    expect(alert.textContent).toContain(`Next try: ${clock(new Date(todayAt(23, 58)))} today`);
    expect(within(diabetes).getByRole("button", { name: "Pause" })).toBeTruthy();
    expect(within(diabetes).queryByRole("button", { name: "Resume" })).toBeNull();
    expect(within(diabetes).getByRole("button", { name: "Try again" })).toBeTruthy();

    const cardio = card("Cardiology");
    expect(within(cardio).getByTestId("care-team-state").textContent?.trim()).toBe("Paused");
    expect(cardio.textContent).toContain("When you press Send now");
    expect(within(cardio).getByRole("button", { name: "Resume" })).toBeTruthy();
    expect(within(cardio).queryByRole("button", { name: "Pause" })).toBeNull();
    expect(within(cardio).queryByRole("alert")).toBeNull();

    const rows = view.getByTestId("transmission-log").querySelectorAll("tbody tr");
    expect([...rows].map((row) => row.getAttribute("data-result"))).toEqual(["delivered", "refused"]);
    expect(rows[0]!.textContent).toContain("Delivered");
    expect(rows[0]!.textContent).toContain("Glucose, Blood pressure");
    expect(rows[1]!.textContent).toContain("Refused");
    expect(rows[1]!.textContent).toContain("422: the Observation has no subject");

    const changes = view.getByTestId("consent-changes") as HTMLDetailsElement;
    expect(changes.open).toBe(false);
    expect(changes.textContent).toContain("paused sharing");
    expect(changes.textContent).toContain("Command line");

    // With care teams, adding one waits behind a button.
    expect(view.queryByTestId("add-care-team")).toBeNull();
    await fireEvent.click(view.getByRole("button", { name: "Add a care team" }));
    expect(view.getByTestId("add-care-team")).toBeTruthy();
    expect(document.activeElement).toBe(input("#care-team-name"));
  });

  it("says when nothing was sent yet and when nothing can be sent from this computer", async () => {
    mockCommands({
      sharingView: () => sharingView({ problem: "This computer's certificate store cannot be read." }),
    });
    render(Sharing, { screen: sharingScreen });
    expect(await view.findByText(/Nothing has been sent yet/)).toBeTruthy();
    expect(view.queryByTestId("transmission-log")).toBeNull();
    const problem = view.getByTestId("sharing-problem");
    expect(problem.getAttribute("role")).toBe("alert");
    expect(problem.textContent).toContain("Nothing can be sent from this computer");
    expect(problem.textContent).toContain("certificate store cannot be read");
  });

  it("adds a care team with the kinds chosen, only new readings, in real time, without notes", async () => {
    const added: { careTeam: CareTeamInput; passphrase: string }[] = [];
    mockCommands({
      sharingView: () => sharingView({}),
      addCareTeam: (args) => {
        added.push(args as { careTeam: CareTeamInput; passphrase: string });
        return sharingView({ careTeams: [careTeamView({ id: 9, name: "Dr Rivera" })] });
      },
    });
    render(Sharing, { screen: sharingScreen });

    // No care team yet: the form is open, with what sharing means.
    const form = await view.findByTestId("add-care-team");
    expect(view.getByText(/only to your care team's own FHIR server, over an encrypted connection/)).toBeTruthy();
    expect(input("#care-team-token").type).toBe("password");
    expect(input("#care-team-fhir").placeholder).toBe("https://fhir.example.org/r4");
    expect(input("#care-team-patient").placeholder).toBe("Patient/123");
    expect(input('[name="share-since"][value="only-new"]').checked).toBe(true);
    expect(input("#share-realtime").checked).toBe(true);
    expect(input("#share-notes").checked).toBe(false);
    expect(view.queryByRole("button", { name: "Cancel" })).toBeNull();

    await fireEvent.input(view.getByLabelText("Name"), { target: { value: "  Dr Rivera " } });
    await fireEvent.input(view.getByLabelText("FHIR server address"), { target: { value: "https://fhir.example.org/r4" } });
    await fireEvent.input(view.getByLabelText("Patient reference"), { target: { value: "Patient/123" } });
    await fireEvent.input(view.getByLabelText("Access token"), { target: { value: "s3cret-token" } });
    // Chosen out of order: the core receives them in the vocabulary's order.
    await fireEvent.click(within(form).getByLabelText("Blood pressure"));
    await fireEvent.click(within(form).getByLabelText("Glucose"));
    await fireEvent.input(view.getByLabelText("Type your passphrase to confirm"), {
      target: { value: "quartz lantern orbit" },
    });
    await fireEvent.click(view.getByRole("button", { name: "Start sharing" }));

    expect(await view.findByText("Sharing with Dr Rivera has started.")).toBeTruthy();
    expect(added).toEqual([
      {
        careTeam: {
          name: "Dr Rivera",
          fhirBase: "https://fhir.example.org/r4",
          patient: "Patient/123",
          token: "s3cret-token",
          grant: { kinds: ["glucose", "bp"], notes: false, since: { from: "only-new" }, realtime: true, until: null },
        },
        passphrase: "quartz lantern orbit",
      },
    ]);
    expect(card("Dr Rivera")).toBeTruthy();
    expect(view.queryByTestId("add-care-team")).toBeNull();
  });

  it("signs in with SMART in the browser instead of a token, and can cancel the wait", async () => {
    const added: { careTeam: SmartCareTeamInput; passphrase: string }[] = [];
    let finish: (view: SharingView) => void = () => undefined;
    let cancelled = 0;
    mockCommands({
      sharingView: () => sharingView({}),
      addSmartCareTeam: (args) => {
        added.push(args as { careTeam: SmartCareTeamInput; passphrase: string });
        return new Promise<SharingView>((resolve) => (finish = resolve));
      },
      cancelSignIn: () => {
        cancelled += 1;
        return null;
      },
    });
    render(Sharing, { screen: sharingScreen });
    const form = await view.findByTestId("add-care-team");
    await fireEvent.click(view.getByLabelText(/By signing in with my clinic account/));
    // No token or patient to type: the sign-in says who the patient is.
    expect(document.querySelector("#care-team-token")).toBeNull();
    expect(document.querySelector("#care-team-patient")).toBeNull();
    await fireEvent.input(view.getByLabelText("Name"), { target: { value: "Clinic" } });
    await fireEvent.input(view.getByLabelText("FHIR server address"), { target: { value: "https://fhir.example.org/r4" } });
    expect(input("#care-team-client-id").value).toBe("vitalog");
    await fireEvent.input(view.getByLabelText("Vitalog's client id at your clinic"), { target: { value: "" } });
    await fireEvent.click(view.getByRole("button", { name: "Start sharing" }));
    expect(await view.findByText("Enter Vitalog's client id at your clinic.")).toBeTruthy();
    expect(added).toEqual([]);

    await fireEvent.input(view.getByLabelText("Vitalog's client id at your clinic"), { target: { value: " vitalog " } });
    await fireEvent.click(within(form).getByLabelText("Glucose"));
    await fireEvent.input(view.getByLabelText("Type your passphrase to confirm"), { target: { value: "quartz lantern" } });
    await fireEvent.click(view.getByRole("button", { name: "Start sharing" }));
    expect(await view.findByTestId("signing-in")).toBeTruthy();
    expect(added).toEqual([
      {
        careTeam: {
          name: "Clinic",
          fhirBase: "https://fhir.example.org/r4",
          clientId: "vitalog",
          grant: { kinds: ["glucose"], notes: false, since: { from: "only-new" }, realtime: true, until: null },
        },
        passphrase: "quartz lantern",
      },
    ]);
    await fireEvent.click(view.getByRole("button", { name: "Cancel sign-in" }));
    expect(cancelled).toBe(1);
    finish(sharingView({ careTeams: [careTeamView({ id: 9, name: "Clinic", signIn: "smart" })] }));
    expect(await view.findByText("Sharing with Clinic has started.")).toBeTruthy();
    expect(within(card("Clinic")).getByRole("button", { name: "Sign in again" })).toBeTruthy();
  });

  it("points at what is missing before asking the core", async () => {
    const addCareTeam = vi.fn(() => sharingView({}));
    mockCommands({ sharingView: () => sharingView({}), addCareTeam });
    render(Sharing, { screen: sharingScreen });
    await view.findByTestId("add-care-team");
    await fireEvent.input(input("#care-team-name"), { target: { value: "Clinic" } });
    await fireEvent.input(input("#care-team-fhir"), { target: { value: "https://fhir.example.org/r4" } });
    await fireEvent.input(input("#care-team-patient"), { target: { value: "Patient/1" } });
    await fireEvent.input(input("#care-team-token"), { target: { value: "t" } });
    await fireEvent.input(input("#care-team-passphrase"), { target: { value: "pass" } });
    await fireEvent.click(view.getByRole("button", { name: "Start sharing" }));

    expect((await view.findByRole("alert")).textContent).toBe("Choose at least one kind of reading to share.");
    await vi.waitFor(() => expect(document.activeElement).toBe(input('[name="share-kind"][value="glucose"]')));
    expect(addCareTeam).not.toHaveBeenCalled();
  });

  it("shows the core's error next to the form and keeps what was typed", async () => {
    mockCommands({
      sharingView: () => sharingView({}),
      addCareTeam: () => {
        throw failure("wrong-passphrase", "That passphrase did not unlock the journal.");
      },
    });
    render(Sharing, { screen: sharingScreen });
    await view.findByTestId("add-care-team");
    await fireEvent.input(input("#care-team-name"), { target: { value: "Clinic" } });
    await fireEvent.input(input("#care-team-fhir"), { target: { value: "https://fhir.example.org/r4" } });
    await fireEvent.input(input("#care-team-patient"), { target: { value: "Patient/1" } });
    await fireEvent.input(input("#care-team-token"), { target: { value: "tok" } });
    await fireEvent.click(input('[name="share-kind"][value="weight"]'));
    await fireEvent.click(input('[name="share-since"][value="everything"]'));
    await fireEvent.click(input("#share-notes"));
    await fireEvent.input(input("#care-team-passphrase"), { target: { value: "not it" } });
    await fireEvent.click(view.getByRole("button", { name: "Start sharing" }));

    const alert = await view.findByRole("alert");
    expect(alert.textContent).toBe("That passphrase did not unlock the journal.");
    expect(view.getByTestId("add-care-team").contains(alert)).toBe(true);
    await vi.waitFor(() => expect(document.activeElement).toBe(input("#care-team-passphrase")));
    expect(input("#care-team-passphrase").getAttribute("aria-describedby")).toBe(alert.id);
    expect(input("#care-team-name").value).toBe("Clinic");
    expect(input("#care-team-fhir").value).toBe("https://fhir.example.org/r4");
    expect(input("#care-team-patient").value).toBe("Patient/1");
    expect(input("#care-team-token").value).toBe("tok");
    expect(input("#care-team-passphrase").value).toBe("not it");
    expect(input('[name="share-kind"][value="weight"]').checked).toBe(true);
    expect(input('[name="share-since"][value="everything"]').checked).toBe(true);
    expect(input("#share-notes").checked).toBe(true);
  });

  it("asks before revoking, and revokes only after the patient confirms", async () => {
    let current = withTeams;
    const revoked: unknown[] = [];
    mockCommands({
      sharingView: () => current,
      revokeCareTeam: (args) => {
        revoked.push(args);
        current = sharingView({
          ...withTeams,
          careTeams: [
            { ...clinic, pending: 0, grant: { ...clinic.grant!, state: "revoked" }, problem: null },
            cardiology,
          ],
        });
        return current;
      },
    });
    render(Sharing, { screen: sharingScreen });
    await view.findByRole("heading", { level: 3, name: "Diabetes clinic" });
    const diabetes = card("Diabetes clinic");
    const dialog = within(diabetes).getByTestId("revoke-dialog") as HTMLDialogElement;
    expect(dialog.open).toBe(false);

    await fireEvent.click(within(diabetes).getByRole("button", { name: "Revoke…" }));
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain(
      "Nothing more will be sent to Diabetes clinic. The 3 readings still waiting will be cancelled. " +
        "What Diabetes clinic already received stays on their server.",
    );
    await fireEvent.click(within(dialog).getByRole("button", { name: "Keep sharing" }));
    expect(dialog.open).toBe(false);
    expect(revoked).toEqual([]);

    await fireEvent.click(within(diabetes).getByRole("button", { name: "Revoke…" }));
    await fireEvent.click(within(dialog).getByRole("button", { name: "Revoke sharing" }));
    await vi.waitFor(() => expect(dialog.open).toBe(false));
    expect(revoked).toEqual([{ id: 4 }]);
    expect(within(diabetes).getByTestId("care-team-state").textContent?.trim()).toBe("Revoked");
    const resume = within(diabetes).getByRole("button", { name: "Resume" });
    expect(document.activeElement).toBe(resume);
    expect(within(diabetes).queryByRole("button", { name: "Revoke…" })).toBeNull();
  });

  it("sends now, retries refused readings for one care team, and pauses", async () => {
    const sends: unknown[] = [];
    const paused: unknown[] = [];
    mockCommands({
      sharingView: () => withTeams,
      sendNow: (args) => {
        sends.push(args);
        return withTeams;
      },
      pauseCareTeam: (args) => {
        paused.push(args);
        return sharingView({
          ...withTeams,
          careTeams: [{ ...clinic, grant: { ...clinic.grant!, state: "paused" } }, cardiology],
        });
      },
    });
    render(Sharing, { screen: sharingScreen });
    await fireEvent.click(await view.findByRole("button", { name: "Send now" }));
    expect(await view.findByText("Sending 3 readings now. This page shows them arrive.")).toBeTruthy();
    expect(sends).toEqual([{ retryRefused: null }]);

    const diabetes = card("Diabetes clinic");
    await fireEvent.click(within(diabetes).getByRole("button", { name: "Try again" }));
    await vi.waitFor(() => expect(sends).toEqual([{ retryRefused: null }, { retryRefused: 4 }]));

    await fireEvent.click(within(diabetes).getByRole("button", { name: "Pause" }));
    await vi.waitFor(() => expect(within(diabetes).getByTestId("care-team-state").textContent?.trim()).toBe("Paused"));
    expect(paused).toEqual([{ id: 4 }]);
  });

  it("changes what a care team receives in the same form, filled in with what it receives now", async () => {
    const changed: { id: number; grant: GrantInput }[] = [];
    mockCommands({
      sharingView: () => withTeams,
      changeGrant: (args) => {
        changed.push(args as { id: number; grant: GrantInput });
        return withTeams;
      },
    });
    render(Sharing, { screen: sharingScreen });
    await view.findByRole("heading", { level: 3, name: "Cardiology" });
    const cardio = card("Cardiology");
    await fireEvent.click(within(cardio).getByRole("button", { name: "Change what is shared" }));
    const form = within(cardio).getByTestId("change-grant");
    expect(input('[name="share-kind"][value="bp"]').checked).toBe(true);
    expect(input('[name="share-kind"][value="glucose"]').checked).toBe(false);
    expect(input('[name="share-since"][value="everything"]').checked).toBe(true);
    expect(input("#share-realtime").checked).toBe(false);
    expect(input("#share-notes").checked).toBe(true);

    await fireEvent.click(input('[name="share-kind"][value="weight"]'));
    await fireEvent.click(input("#share-realtime"));
    await fireEvent.input(input("#share-until"), { target: { value: "2999-12-31" } });
    await fireEvent.click(within(form).getByRole("button", { name: "Save changes" }));

    await vi.waitFor(() => expect(changed).toHaveLength(1));
    expect(changed[0]).toEqual({
      id: 5,
      grant: { kinds: ["bp", "weight"], notes: true, since: { from: "everything" }, realtime: true, until: "2999-12-31" },
    });
    await vi.waitFor(() => expect(within(cardio).queryByTestId("change-grant")).toBeNull());
  });

  it("refreshes every 3 seconds without closing an open form, and stops when the screen goes", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let calls = 0;
    let current: SharingView = withTeams;
    mockCommands({
      sharingView: () => {
        calls += 1;
        return current;
      },
    });
    const { unmount } = render(Sharing, { screen: sharingScreen });
    await view.findByRole("heading", { level: 3, name: "Diabetes clinic" });
    await fireEvent.click(view.getByRole("button", { name: "Add a care team" }));
    await fireEvent.input(input("#care-team-name"), { target: { value: "Half typed" } });
    expect(calls).toBe(1);

    current = sharingView({ ...withTeams, careTeams: [{ ...clinic, pending: 1 }, cardiology] });
    vi.advanceTimersByTime(3000);
    await vi.waitFor(() => expect(within(card("Diabetes clinic")).getByTestId("care-team-queue").textContent).toContain("1 waiting"));
    expect(calls).toBe(2);
    expect(input("#care-team-name").value).toBe("Half typed");

    unmount();
    vi.advanceTimersByTime(9000);
    expect(calls).toBe(2);
  });
});
