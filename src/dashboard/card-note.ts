import type { CacheStateKind } from "../entries/index.js";
import type { ScreenKind } from "./screen-status.js";

/**
 * Whether a card shows its own freshness note. The screen says once what
 * every card shares — the header chip ("Live", "Updating by polling",
 * "Connecting…") and, when offline, the banner (since when, how old the
 * data is, the one reconnect countdown) — so a card speaks only where it
 * differs: removed or stopped, waiting for sign-in, not updating while the
 * rest of the screen is, or still connecting while the rest is live. While
 * the screen is `settling` (some publications down for less than
 * SETTLE_MS, see screen-status.ts) it is too early to tell one card's trouble
 * from the whole server's, so a card says nothing about its connection.
 */
export function cardNoteShown(card: CacheStateKind, screen: ScreenKind, settling = false): boolean {
  switch (card) {
    case "live":
      return false;
    case "retrying":
      return screen !== "offline" && !settling;
    case "connecting":
      // Between two reconnection attempts while others are live, it is still not updating.
      return screen !== "offline" && screen !== "connecting" && !settling;
    case "polling":
      return screen !== "polling";
    case "needs-auth":
    case "removed":
    case "closed":
      return true;
  }
}
