import type { EngineTuning } from "../entries/index.js";

/**
 * What the page shows, from its query string:
 * - `server`: publication server base URL (default: this page's origin);
 * - `device`: Smart Core device name (may be empty);
 * - `ids`: comma-separated publication ids;
 * - `screen`: this screen's Smart Core name; the screen then tells the server
 *   which version of each publication addressed to it it shows (receipts),
 *   and runs by its `<screen>:config` publication (docs/screen-config.md):
 *   `ids` is then only what it shows when the configuration names nothing;
 * - `pollS`: seconds between polls of a server that does not stream (the
 *   database-backed one every real site runs); default 60, each poll ± 20 %.
 *
 * Test-only options (for the end-to-end tests and demos; not for production):
 * - `partition`: cache partition;
 * - `backoffMs`: first and largest retry delay (so a test need not wait 10 s);
 * - `pollMs`: poll interval in milliseconds (`pollS` for people);
 * - `heartbeatMs`: page → host heartbeat period;
 * - `token`: a bearer token the page hands to the host;
 * - `sw=0`: do not use a service worker (leader-tab fallback);
 * - `pageMs`: how long each screen page stays (default 20 s; tests page faster).
 */
export interface AppParams {
  readonly server: string;
  readonly device: string;
  readonly ids: string[];
  readonly partition: string;
  /** `view=fleet`: the fleet view instead of the kiosk dashboard. */
  readonly view: "dashboard" | "fleet";
  /** This screen's Smart Core name (`screen`): it acknowledges what is addressed to it. */
  readonly screen: string | undefined;
  readonly tuning: EngineTuning | undefined;
  readonly heartbeatMs: number | undefined;
  readonly token: string | undefined;
  readonly useServiceWorker: boolean;
  readonly pageMs: number | undefined;
}

export function readAppParams(search: string, origin: string): AppParams {
  const query = new URLSearchParams(search);
  const ms = (name: string) => {
    const value = Number(query.get(name));
    return query.has(name) && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const backoffMs = ms("backoffMs");
  const pollSeconds = ms("pollS");
  const pollMs = ms("pollMs") ?? (pollSeconds === undefined ? undefined : pollSeconds * 1000);
  const tuning: EngineTuning | undefined =
    backoffMs === undefined && pollMs === undefined
      ? undefined
      : {
          ...(backoffMs !== undefined && { backoffMinMs: backoffMs, backoffMaxMs: backoffMs }),
          ...(pollMs !== undefined && { pollIntervalMs: pollMs }),
        };
  return {
    server: query.get("server") || origin,
    device: query.get("device") ?? "",
    ids: (query.get("ids") ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== ""),
    partition: query.get("partition") ?? "",
    screen: query.get("screen") || undefined,
    view: query.get("view") === "fleet" ? "fleet" : "dashboard",
    tuning,
    heartbeatMs: ms("heartbeatMs"),
    token: query.get("token") ?? undefined,
    useServiceWorker: query.get("sw") !== "0",
    pageMs: ms("pageMs"),
  };
}
