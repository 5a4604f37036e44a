import type { WatchdogEvent } from "../entries/index.js";
import type { TimeFormat } from "./time-format.js";

/**
 * The diagnostics panel's line on the service worker's watchdog: when it last
 * reloaded a screen that had stopped answering (and how long it had been
 * silent), and when it last held back because it had reloaded that screen
 * less than 10 minutes before.
 */
export function describeWatchdogEvents(events: readonly WatchdogEvent[], time: TimeFormat, now: number): string {
  const reloaded = events.filter((event) => event.action === "reloaded").at(-1);
  const held = events.filter((event) => event.action === "held-back").at(-1);
  const parts: string[] = [];
  if (reloaded) parts.push(`Reloaded by the watchdog at ${time.clock(reloaded.at, now)} (no answer for ${seconds(reloaded.silentMs)})`);
  if (held && (!reloaded || held.at > reloaded.at)) {
    parts.push(`Stopped answering again at ${time.clock(held.at, now)}; not reloaded: once per 10 minutes at most`);
  }
  return parts.length === 0 ? "No reload needed" : `${parts.join(". ")}.`;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${s} second${s === 1 ? "" : "s"}`;
}
