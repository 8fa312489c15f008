/**
 * Appearance preferences (theme and text size). They are display settings, not health data,
 * so they live in the web view's local storage and apply before the first paint.
 */
export type Theme = "system" | "light" | "dark";
export type TextSize = "normal" | "large" | "larger";

export interface Appearance {
  theme: Theme;
  textSize: TextSize;
}

const STORAGE_KEY = "vitalog.appearance";
export const defaultAppearance: Appearance = { theme: "system", textSize: "normal" };

const themes: readonly Theme[] = ["system", "light", "dark"];
const textSizes: readonly TextSize[] = ["normal", "large", "larger"];

/** Reads the saved preferences, falling back to defaults for anything missing or unknown. */
export function loadAppearance(storage: Storage = window.localStorage): Appearance {
  try {
    const saved: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "{}");
    const record = (typeof saved === "object" && saved !== null ? saved : {}) as Record<string, unknown>;
    return {
      theme: themes.find((t) => t === record.theme) ?? defaultAppearance.theme,
      textSize: textSizes.find((s) => s === record.textSize) ?? defaultAppearance.textSize,
    };
  } catch {
    return { ...defaultAppearance };
  }
}

export function saveAppearance(appearance: Appearance, storage: Storage = window.localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(appearance));
}

/** Sets the attributes tokens.css keys its themes and text sizes on. */
export function applyAppearance(appearance: Appearance, root: HTMLElement = document.documentElement): void {
  if (appearance.theme === "system") {
    delete root.dataset.theme;
  } else {
    root.dataset.theme = appearance.theme;
  }
  if (appearance.textSize === "normal") {
    delete root.dataset.textSize;
  } else {
    root.dataset.textSize = appearance.textSize;
  }
}

/** The ink the charts are drawn in: what the page shows now (the system's choice included). */
export function chartTheme(root: HTMLElement = document.documentElement): "light" | "dark" {
  if (root.dataset.theme === "dark" || root.dataset.theme === "light") return root.dataset.theme;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
