import type { CacheState } from "../entries/index.js";
import type { TimeFormat } from "./time-format.js";

/**
 * The screen as a whole, from every publication on it:
 * - `offline`: the browser has no network, or every followed publication is reconnecting;
 * - `reconnecting`: some are (the server dropped one stream, say), for at least
 *   {@link SETTLE_MS} — one server's publications fail and come back together but
 *   reach the page one by one, so a mix younger than that leaves the screen as it was;
 * - `not-allowed`: signed in, but the server refuses this screen some data (PERMISSION_DENIED);
 * - `needs-auth`, `connecting`, `polling`, `live`: the least fresh of the rest wins;
 * - `removed`: nothing left to follow.
 */
export type ScreenKind = "offline" | "reconnecting" | "not-allowed" | "needs-auth" | "connecting" | "polling" | "live" | "removed";

/** How long some-but-not-all publications down must last before the screen says so. */
export const SETTLE_MS = 3_000;

export interface ScreenStatus {
  readonly kind: ScreenKind;
  /** When some but not all followed publications went down (or came back); undefined when not so. */
  readonly partialSince: number | undefined;
  /** True while that mix is younger than {@link SETTLE_MS}: cards keep their notes to themselves too. */
  readonly settling: boolean;
  /** When the screen went offline or started reconnecting; kept until it is back. */
  readonly since: number | undefined;
  /** The oldest confirmation among the values shown: what "showing data confirmed at" must admit. */
  readonly oldestConfirmedAt: number | undefined;
  /** The soonest reconnection attempt. */
  readonly nextAttemptAt: number | undefined;
}

export interface ShownPublication {
  readonly state: CacheState;
  readonly confirmedAt: number | undefined;
}

/** When the host last heard the server, and whether it lost it since (the client's `serverContact`). */
export interface ContactFacts {
  readonly heardAt?: number;
  readonly lostAt?: number;
}

export function summarizeScreen(
  previous: ScreenStatus | undefined,
  shown: readonly ShownPublication[],
  browserOnline: boolean,
  now: number,
  contact?: ContactFacts,
): ScreenStatus {
  const followed = shown.filter((p) => p.state.kind !== "removed" && p.state.kind !== "closed");
  const retrying = followed.flatMap((p) => (p.state.kind === "retrying" ? [p.state] : []));
  const wasDisconnected = previous?.kind === "offline" || previous?.kind === "reconnecting";
  // While disconnected, a publication trying to reconnect ("connecting" between attempts) is still not
  // updating: the screen stays offline instead of flickering to "reconnecting" at every attempt.
  const attempting = wasDisconnected ? followed.filter((p) => p.state.kind === "connecting").length : 0;
  const down = retrying.length + attempting;
  const kinds = new Set(followed.map((p) => (isNotAllowed(p.state) ? "not-allowed" : p.state.kind)));
  const partial = browserOnline && down > 0 && down < followed.length;
  const partialSince = partial ? (previous?.partialSince ?? now) : undefined;
  // A server going down (or coming back) reaches the page one publication at a time: until the
  // mix has lasted, the screen keeps what it said ("Offline", "Live") instead of flickering.
  const settling = partialSince !== undefined && previous !== undefined && now - partialSince < SETTLE_MS;
  const measured: ScreenKind =
    !browserOnline || (followed.length > 0 && down === followed.length)
      ? "offline"
      : down > 0
        ? "reconnecting"
        : kinds.has("needs-auth")
          ? "needs-auth"
          : kinds.has("not-allowed")
            ? "not-allowed"
            : kinds.has("connecting")
              ? "connecting"
              : kinds.has("polling")
                ? "polling"
                : followed.length > 0
                  ? "live"
                  : "removed";
  const kind = settling ? previous.kind : measured;
  const disconnected = kind === "offline" || kind === "reconnecting";
  // Offline is since the host last heard the server: the host keeps that time across reloads and
  // reboots, so neither moves it later. Without it (no host news yet), the first failure this page
  // saw; later retries must not move that either.
  const lastHeard = kind === "offline" && contact?.heardAt !== undefined && (contact.lostAt !== undefined || !browserOnline) ? contact.heardAt : undefined;
  const since = !disconnected
    ? undefined
    : lastHeard !== undefined
      ? Math.min(now, lastHeard)
      : wasDisconnected && previous?.since !== undefined
        ? previous.since
        : Math.min(now, ...retrying.map((state) => state.lastError.at));
  return {
    kind,
    partialSince,
    settling,
    since,
    oldestConfirmedAt: minimum(shown.map((p) => p.confirmedAt)),
    nextAttemptAt: minimum(retrying.map((state) => state.nextAttemptAt)),
  };
}

export interface ScreenText {
  /** The header chip: "Live", "Offline"… */
  readonly chip: string;
  /**
   * The banner, when one is due (offline, reconnecting, sign-in); else
   * undefined. `since` and `confirmedAt` are the times its words round to
   * the minute (ms), for the page's contract (`data-since`, `data-confirmed-at`).
   */
  readonly banner: { readonly title: string; readonly detail: string; readonly since?: number; readonly confirmedAt?: number } | undefined;
  /**
   * What a screen reader hears, politely. Changes only when the situation
   * does (not with every countdown second), so it is announced once.
   */
  readonly announcement: string;
}

const CHIPS: Record<ScreenKind, string> = {
  offline: "Offline",
  reconnecting: "Reconnecting",
  "needs-auth": "Sign-in needed",
  "not-allowed": "Not allowed",
  connecting: "Connecting…",
  polling: "Updating by polling",
  live: "Live",
  removed: "Nothing published",
};

export function describeScreen(status: ScreenStatus, now: number, time: TimeFormat): ScreenText {
  const chip = CHIPS[status.kind];
  const data =
    status.oldestConfirmedAt === undefined
      ? "No data has been confirmed yet."
      : `Showing data confirmed at ${time.clock(status.oldestConfirmedAt, now)} (${time.relative(status.oldestConfirmedAt, now)}).`;
  const seconds = status.nextAttemptAt === undefined ? 0 : Math.ceil((status.nextAttemptAt - now) / 1000);
  const retry = seconds > 0 ? ` Reconnecting in ${seconds} s.` : " Reconnecting…";
  const sinceClock = status.since === undefined ? "" : ` since ${time.clock(status.since, now)}`;
  const times = { ...(status.since !== undefined && { since: status.since }), ...(status.oldestConfirmedAt !== undefined && { confirmedAt: status.oldestConfirmedAt }) };
  switch (status.kind) {
    case "offline":
      return {
        chip,
        banner: { title: `Offline${sinceClock}`, detail: `${data}${retry}`, ...times },
        announcement: `Offline${sinceClock}. The last data stays on screen.`,
      };
    case "reconnecting":
      return {
        chip,
        banner: { title: `Some data is not updating${sinceClock}`, detail: `${data}${retry}`, ...times },
        announcement: `Some data is not updating${sinceClock}.`,
      };
    case "needs-auth":
      return {
        chip,
        banner: { title: "Sign-in needed", detail: "The server wants credentials for some of this data." },
        announcement: "Sign-in needed for some of this data.",
      };
    case "not-allowed":
      return {
        chip,
        banner: { title: "Not allowed", detail: "This screen is signed in but not allowed to see some of this data." },
        announcement: "This screen is signed in but not allowed to see some of this data.",
      };
    case "polling":
      return { chip, banner: undefined, announcement: "Connected. Data is updated by polling." };
    case "live":
      return { chip, banner: undefined, announcement: "Connected. All data is live." };
    case "connecting":
      return { chip, banner: undefined, announcement: "Connecting…" };
    case "removed":
      return { chip, banner: undefined, announcement: "None of this data is published any more." };
  }
}

function minimum(values: ReadonlyArray<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}

/** Signed in, but refused (PERMISSION_DENIED): another account or a policy change is needed, not a sign-in. */
export function isNotAllowed(state: CacheState): boolean {
  return state.kind === "needs-auth" && state.lastError.code === "permission_denied";
}
