/**
 * Which screen is showing, kept in the URL hash (`#/journal`) so reloads and the back
 * button behave as people expect.
 */
import { defaultScreen, isScreenId, type ScreenId } from "./screens";

function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, "");
  return isScreenId(id) ? id : defaultScreen;
}

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

  go(id: ScreenId): void {
    this.navigated = true;
    if (window.location.hash !== `#/${id}`) {
      window.location.hash = `#/${id}`;
    }
    this.current = id;
  }
}

export const router = new Router();
export { screenFromHash };
