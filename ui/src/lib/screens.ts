/** The app's screens, in navigation order: the single list the frame and router read. */
export type ScreenId = "today" | "devices" | "journal" | "trends" | "report" | "sharing" | "settings";

export interface Screen {
  id: ScreenId;
  label: string;
  /** One sentence shown under the title: what the patient can do here. */
  summary: string;
}

export const screens: readonly Screen[] = [
  { id: "today", label: "Today", summary: "Your latest readings and anything that needs attention." },
  {
    id: "devices",
    label: "Devices",
    summary: "Pair glucose meters, blood-pressure cuffs and other Bluetooth health monitors.",
  },
  {
    id: "journal",
    label: "Journal",
    summary: "Every reading, medication, meal, symptom and note, day by day.",
  },
  {
    id: "trends",
    label: "Trends",
    summary: "How your numbers change over days and weeks, with the standard clinical summaries.",
  },
  {
    id: "report",
    label: "Report",
    summary: "A report for your next doctor visit: PDF, CSV or a FHIR file for their system.",
  },
  {
    id: "sharing",
    label: "Sharing",
    summary: "Choose what your care team receives, and see every transmission.",
  },
  { id: "settings", label: "Settings", summary: "Units, appearance, security and your data." },
];

export const defaultScreen: ScreenId = "today";

export function isScreenId(value: string): value is ScreenId {
  return screens.some((screen) => screen.id === value);
}
