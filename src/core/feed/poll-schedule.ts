import type { RandomSource } from "../random.js";

/**
 * How often a device feed polls a server that streams nothing (every real
 * site's database-backed server): one minute.
 *
 * Chosen for wall screens, by the figures of `npm run bench` (`poll.*`,
 * README "Polling: the interval"): a change shows in 27 s at the median
 * and 68 s at worst, not up to five minutes. Each poll of a screen that
 * wants 10 publications of a device of 500 × 2 kB costs the server ten
 * GetPublication calls (21.6 kB); 1,000 screens then make 159 requests
 * and 316 kB per second on average, each screen 1.14 MB an hour — a tenth
 * of the old five-minute listing of the whole device (12.8 MB an hour
 * against that server, which ignores read masks). Shorter intervals cost
 * the server in proportion (30 s doubles it) for freshness a wall screen
 * does not need; a screen that does sets its own (`pollIntervalMs`,
 * `?pollS=`).
 */
export const DEFAULT_DEVICE_POLL_INTERVAL_MS = 60_000;

/**
 * Each wait is the interval ± 20 %, drawn afresh: screens that started
 * together (power back, the server restarted) drift apart within a few
 * polls instead of asking in lock-step for ever, while none waits much
 * longer than the interval.
 */
export const POLL_JITTER = 0.2;

/** The wait before the next poll: `intervalMs` ± {@link POLL_JITTER}. */
export function nextPollDelay(intervalMs: number, random: RandomSource): number {
  return intervalMs * (1 - POLL_JITTER + 2 * POLL_JITTER * random());
}
