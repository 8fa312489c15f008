/**
 * The UI's only door to the Rust side. It wraps the generated bindings (bindings.ts, made by
 * `make bindings` from src-tauri) and turns every failure into a {@link BackendError} whose
 * `kind` components can branch on. Components import this module, never `invoke`.
 */
import { Channel } from "@tauri-apps/api/core";
import {
  commands,
  type AppInfo,
  type Secret,
  type ChosenBackup,
  type ExportFormat,
  type ImportedFile,
  type SavedFile,
  type CreatedJournal,
  type DemoProblem,
  type DemoSettings,
  type DeviceView,
  type FoundMonitorView,
  type LiveUpdate,
  type RadioView,
  type SyncProgress,
  type SyncSummary,
  type EntryInput,
  type EntryPage,
  type EntryVersionView,
  type EntryView,
  type ErrorKind,
  type IpcError,
  type JournalStatus,
  type PassphraseStrength,
  type ReplacedKeyView,
  type AlertKind,
  type AlertSetting,
  type AlertView,
  type Chart,
  type ChartKind,
  type Field,
  type Fields,
  type Stats,
  type ReportPreview,
  type ReportRequest,
  type ReportStart,
  type TrendsRequest,
  type TrendsView,
  type Flag,
  type Kind,
  type MealContext,
  type MonitorKind,
  type Source,
  type Unit,
  type CareTeamInput,
  type SmartCareTeamInput,
  type CareTeamView,
  type ConsentView,
  type GrantInput,
  type GrantStateView,
  type GrantView,
  type SharingView,
  type SignInView,
  type SinceInput,
  type TransmissionView,
  KINDS,
} from "./bindings";

export type {
  AppInfo,
  Secret,
  ChosenBackup,
  ExportFormat,
  ImportedFile,
  SavedFile,
  CreatedJournal,
  DemoProblem,
  DemoSettings,
  DeviceView,
  FoundMonitorView,
  LiveUpdate,
  RadioView,
  SyncProgress,
  SyncSummary,
  EntryInput,
  EntryPage,
  EntryVersionView,
  EntryView,
  ErrorKind,
  JournalStatus,
  PassphraseStrength,
  ReplacedKeyView,
  AlertKind,
  AlertSetting,
  AlertView,
  Chart,
  ChartKind,
  Field,
  Fields,
  Flag,
  Stats,
  ReportPreview,
  ReportRequest,
  ReportStart,
  TrendsRequest,
  TrendsView,
  Kind,
  MealContext,
  MonitorKind,
  Source,
  Unit,
  CareTeamInput,
  SmartCareTeamInput,
  CareTeamView,
  ConsentView,
  GrantInput,
  GrantStateView,
  GrantView,
  SharingView,
  SignInView,
  SinceInput,
  TransmissionView,
};

/** What entries of each kind carry (fields, units), from the reading vocabulary in Rust. */
export { KINDS };

/** What a failed call means to the UI: the backend's closed `kind`, or no backend at all. */
export type FailureKind = ErrorKind | "backend-unavailable";

export class BackendError extends Error {
  readonly kind: FailureKind;
  /** The entry form's field at fault, when the core named one. */
  readonly field: Field | null;

  constructor(kind: FailureKind, message: string, field: Field | null = null) {
    super(message);
    this.name = "BackendError";
    this.kind = kind;
    this.field = field;
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
  if (isIpcError(error)) return new BackendError(error.kind, error.message, error.field ?? null);
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
  journalStatus: (): Promise<JournalStatus> => call(() => commands.journalStatus()),
  passphraseStrength: (passphrase: string): Promise<PassphraseStrength> =>
    call(() => commands.passphraseStrength(passphrase)),
  createJournal: (passphrase: string, remember: boolean): Promise<CreatedJournal> =>
    call(() => commands.createJournal(passphrase, remember)),
  unlock: (passphrase: string): Promise<void> =>
    call(() => commands.unlockJournal(passphrase)).then(() => undefined),
  unlockWithRecoveryKey: (key: string): Promise<void> =>
    call(() => commands.unlockWithRecoveryKey(key)).then(() => undefined),
  unlockRemembered: (): Promise<void> => call(() => commands.unlockRemembered()).then(() => undefined),
  lock: (): Promise<void> => call(() => commands.lockJournal()).then(() => undefined),
  changePassphrase: (current: string, next: string): Promise<void> =>
    call(() => commands.changePassphrase(current, next)).then(() => undefined),
  /** Lets this device unlock the journal without the passphrase (confirmed with it). */
  rememberOnDevice: (passphrase: string): Promise<void> =>
    call(() => commands.rememberOnDevice(passphrase)).then(() => undefined),
  /** Makes the passphrase needed again on this device. */
  forgetOnDevice: (): Promise<void> => call(() => commands.forgetOnDevice()).then(() => undefined),
  /** Re-encrypts the journal under a new key and returns the new recovery key to show once. */
  replaceDataKey: (passphrase: string): Promise<ReplacedKeyView> => call(() => commands.replaceDataKey(passphrase)),
  erase: (passphrase: string): Promise<void> => call(() => commands.eraseJournal(passphrase)).then(() => undefined),
  /** Where a new report starts: the day of the last one, and the usual length otherwise. */
  reportStart: (): Promise<ReportStart> => call(() => commands.reportStart()),
  /** How the report of a period will come out (pages, size). */
  reportPreview: (request: ReportRequest): Promise<ReportPreview> => call(() => commands.reportPreview(request)),
  /** Saves the report of a period where the patient picks; `null` when they cancelled. */
  saveReport: (request: ReportRequest): Promise<SavedFile | null> => call(() => commands.saveReport(request)),
  /** Every alert the patient can turn on, and whether it is. */
  alertSettings: (): Promise<AlertSetting[]> => call(() => commands.alertSettings()),
  setAlert: (kind: AlertKind, enabled: boolean): Promise<void> =>
    call(() => commands.setAlert(kind, enabled)).then(() => undefined),
  /** A period's statistics, and its charts when asked, in this device's time zone. */
  trendsView: (request: TrendsRequest): Promise<TrendsView> => call(() => commands.trendsView(request)),
  listEntries: (kinds: Kind[], after: number | null, limit: number): Promise<EntryPage> =>
    call(() => commands.listEntries(kinds, after, limit)),
  addEntry: (entry: EntryInput): Promise<EntryView> => call(() => commands.addEntry(entry)),
  editEntry: (id: number, entry: EntryInput): Promise<EntryView> => call(() => commands.editEntry(id, entry)),
  deleteEntry: (id: number): Promise<void> => call(() => commands.deleteEntry(id)).then(() => undefined),
  undoDelete: (): Promise<EntryView> => call(() => commands.undoDelete()),
  entryHistory: (id: number): Promise<EntryVersionView[]> => call(() => commands.entryHistory(id)),
  radioState: (): Promise<RadioView> => call(() => commands.radioState()),
  setDemoDevices: (shown: boolean, settings: DemoSettings): Promise<RadioView> =>
    call(() => commands.setDemoDevices(shown, settings)),
  scanDevices: (seconds: number): Promise<FoundMonitorView[]> => call(() => commands.scanDevices(seconds)),
  pairDevice: (id: string): Promise<void> => call(() => commands.pairDevice(id)).then(() => undefined),
  forgetDevice: (id: string): Promise<void> => call(() => commands.forgetDevice(id)).then(() => undefined),
  listDevices: (): Promise<DeviceView[]> => call(() => commands.listDevices()),
  /** Syncs a monitor now; `onProgress` hears each step as it happens. */
  syncDevice: (id: string, setClock: boolean, onProgress: (progress: SyncProgress) => void): Promise<SyncSummary> => {
    const channel = new Channel<SyncProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.syncDevice(id, setClock, channel));
  },
  /** Hears the latest reading of each kind now and after every sync that stores something. */
  watchLive: (onUpdate: (update: LiveUpdate) => void): Promise<void> => {
    const channel = new Channel<LiveUpdate>();
    channel.onmessage = onUpdate;
    return call(() => commands.watchLive(channel)).then(() => undefined);
  },
  /** Saves an encrypted backup where the patient picks; `null` when they cancelled. */
  backupJournal: (): Promise<SavedFile | null> => call(() => commands.backupJournal()),
  /** Exports every entry, unencrypted, after the passphrase confirms it; `null` if cancelled. */
  exportEntries: (format: ExportFormat, passphrase: string): Promise<SavedFile | null> =>
    call(() => commands.exportEntries(format, passphrase)),
  /** Imports a Vitalog export the patient picks; `null` when they cancelled. */
  importEntries: (): Promise<ImportedFile | null> => call(() => commands.importEntries()),
  /** Asks for a backup file to restore and checks it; `null` when they cancelled. */
  chooseBackup: (): Promise<ChosenBackup | null> => call(() => commands.chooseBackup()),
  /** Restores the chosen backup into this device's empty data folder and unlocks it. */
  restoreBackup: (secret: Secret): Promise<void> =>
    call(() => commands.restoreBackup(secret)).then(() => undefined),
  /** Moves a damaged journal aside (kept) so a backup can take its place; answers where. */
  setAsideDamagedJournal: (secret: Secret): Promise<string> => call(() => commands.setAsideDamagedJournal(secret)),
  /** The care teams with their grants and queues, the transmission log and the consent changes. */
  sharingView: (): Promise<SharingView> => call(() => commands.sharingView()),
  /** Sets up a care team and what it receives, after the passphrase confirms it; answers the new view. */
  addCareTeam: (careTeam: CareTeamInput, passphrase: string): Promise<SharingView> =>
    call(() => commands.addCareTeam(careTeam, passphrase)),
  /** Changes what a care team receives (sharing becomes active again). */
  changeGrant: (id: number, grant: GrantInput): Promise<SharingView> => call(() => commands.changeGrant(id, grant)),
  /** Pauses sharing with a care team: new readings wait until it resumes. */
  pauseCareTeam: (id: number): Promise<SharingView> => call(() => commands.pauseCareTeam(id)),
  /** Resumes sharing with a care team on the terms it had. */
  resumeCareTeam: (id: number): Promise<SharingView> => call(() => commands.resumeCareTeam(id)),
  /** Stops sharing with a care team: nothing more is sent and its queue is cancelled. */
  revokeCareTeam: (id: number): Promise<SharingView> => call(() => commands.revokeCareTeam(id)),
  /** Sends everything due now; with a care team's id, its refused readings go back in the queue first. */
  sendNow: (retryRefused: number | null): Promise<SharingView> => call(() => commands.sendNow(retryRefused)),
  /**
   * Sets up a care team that signs Vitalog in with SMART on FHIR: after the passphrase, the
   * sign-in opens in the patient's browser and this waits until it comes back (or is cancelled).
   */
  addSmartCareTeam: (careTeam: SmartCareTeamInput, passphrase: string): Promise<SharingView> =>
    call(() => commands.addSmartCareTeam(careTeam, passphrase)),
  /** Signs in to a SMART care team again in the browser, then sends what waited. */
  signInAgain: (id: number): Promise<SharingView> => call(() => commands.signInAgain(id)),
  /** Saves the whole transmission log (checked) where the patient picks; `null` when cancelled. */
  saveTransmissionLog: (): Promise<SavedFile | null> => call(() => commands.saveTransmissionLog()),
  /** Stops waiting for a sign-in in the browser. */
  cancelSignIn: (): Promise<void> => call(() => commands.cancelSignIn()).then(() => undefined),
  /** Saves the recovery key just shown as a text file where the patient picks; `null` when cancelled. */
  saveRecoveryKey: (key: string): Promise<SavedFile | null> => call(() => commands.saveRecoveryKey(key)),
  /** Opens the system's print dialog for the page (its print styles choose what is printed). */
  printPage: (): Promise<void> => call(() => commands.printPage()).then(() => undefined),
  /** A sentence to show for any error a call threw. */
  describe: (error: unknown): string => normaliseError(error).message,
};
