/**
 * Which screen is showing, kept in the URL hash (`#/journal`) so reloads and the back
 * button behave as people expect.
 */
import { defaultScreen, isScreenId, type ScreenId } from "./screens";

function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, "");
  return isScreenId(id) ? id : defaultScreen;
}

/** Things a screen can be asked to do as it opens. */
export type Intent = "add-entry" | "add-device";

class Router {
  current = $state<ScreenId>(screenFromHash(window.location.hash));
  /** False until the patient moves between screens: the first screen keeps focus where it is. */
  navigated = $state(false);

  constructor() {
    window.addEventListener("hashchange", () => {
      this.current = screenFromHash(window.location.hash);
      this.navigated = true;
    });
  }

  /**
   * What the patient asked the next screen to do at once ("add an entry", "find a device"),
   * taken by that screen when it opens; it never outlives one screen change.
   */
  private intent: Intent | null = null;

  go(id: ScreenId, intent: Intent | null = null): void {
    this.intent = intent;
    this.navigated = true;
    if (window.location.hash !== `#/${id}`) {
      window.location.hash = `#/${id}`;
    }
    this.current = id;
  }

  /** Whether the screen was opened with `wanted`; the intent is used up either way. */
  take(wanted: Intent): boolean {
    const asked = this.intent === wanted;
    this.intent = null;
    return asked;
  }
}

export const router = new Router();
export { screenFromHash };
