import type { CacheState } from "../entries/index.js";
import type { TimeFormat } from "./time-format.js";

/**
 * How fresh one publication is, in words a person understands at a glance.
 * `tone` picks the colour: ok (live or polling), waiting (connecting,
 * reconnecting), attention (someone must act: sign in), gone (removed,
 * stopped). Never red: stale data on a wall is normal, not an emergency.
 */
export type Tone = "ok" | "waiting" | "attention" | "gone";

export interface Freshness {
  readonly tone: Tone;
  /** Short: "Live", "Reconnecting…", "Sign-in needed". */
  readonly label: string;
  /** One line of context: what is shown and how old it is. */
  readonly detail: string;
}

export interface FreshnessInput {
  readonly state: CacheState;
  readonly hasValue: boolean;
  /** When the server last vouched for the value shown (see confirmation.ts). */
  readonly confirmedAt: number | undefined;
  /** When this screen lost its connection, if it has and its banner says so (see screen-status.ts). */
  readonly offlineSince?: number | undefined;
}

export function describeFreshness(input: FreshnessInput, now: number, time: TimeFormat): Freshness {
  const { state, hasValue, confirmedAt } = input;
  const shown = (prefix: string) =>
    confirmedAt === undefined
      ? `${prefix} saved data`
      : `${prefix} data confirmed at ${time.clock(confirmedAt, now)} (${time.relative(confirmedAt, now)})`;
  switch (state.kind) {
    case "connecting":
      return {
        tone: "waiting",
        label: "Connecting…",
        detail: hasValue ? shown("Showing") : "Waiting for the first data",
      };
    case "live":
      return { tone: "ok", label: "Live", detail: "up to date" };
    case "polling":
      return {
        tone: "ok",
        label: "Updating by polling",
        detail: confirmedAt === undefined ? "First check under way" : `Checked ${time.relative(confirmedAt, now)}`,
      };
    case "retrying": {
      // The countdown is the banner's alone (one for the screen, not one per card); when the
      // screen is offline its banner also says since when, so the card keeps to its own data.
      const since = input.offlineSince === undefined ? `Offline since ${time.clock(state.lastError.at, now)} · ` : "";
      const data = hasValue ? shown(since ? "showing" : "Showing") : since ? "no saved data yet" : "No saved data yet";
      return { tone: "waiting", label: "Reconnecting…", detail: `${since}${data}` };
    }
    case "needs-auth":
      if (state.lastError.code === "permission_denied") {
        return {
          tone: "attention",
          label: "Not allowed",
          detail: hasValue ? shown("This screen may not see newer data; showing") : "This screen is signed in but may not see this",
        };
      }
      return {
        tone: "attention",
        label: "Sign-in needed",
        detail: hasValue ? shown("The server wants credentials; showing") : "The server wants credentials before it shares this",
      };
    case "removed":
      return {
        tone: "gone",
        label: "Removed by the server",
        detail: hasValue ? "Showing the last version it published" : "No longer published",
      };
    case "closed":
      return { tone: "gone", label: "Stopped", detail: "This display no longer follows updates" };
  }
}
