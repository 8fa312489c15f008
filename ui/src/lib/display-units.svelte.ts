/** The patient's display units, shared by every screen and saved when Settings changes them. */
import { loadUnits, saveUnits, type UnitPreferences } from "./units";

export const displayUnits: UnitPreferences = $state(loadUnits());

export function rememberDisplayUnits(): void {
  saveUnits({ ...displayUnits });
}
