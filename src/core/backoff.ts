import type { RandomSource } from "./random.js";

/**
 * How a nominal delay is spread:
 * - `"wide"` (default): uniformly within ±75 % of the nominal delay.
 * - `"half"`: uniformly within ±50 % of the nominal delay.
 * - `"full"`: uniformly between 0 and the nominal delay ("full jitter").
 * - `"none"`: exactly the nominal delay (lock-step, the Go behaviour; for
 *   tests and comparisons).
 *
 * Why ±75 % by default: a building's worth of screens that lost the server at
 * the same moment must not come back in lock-step. The spread of the first
 * retry sets the peak load: N screens over a window of w × nominal arrive at
 * about N / (w × nominal) per second. ±50 % (w = 1) measured a peak of 1/8.9
 * of lock-step in the herd benchmark (2,000 caches, 60 s outage) — short of
 * our 1/10 target; ±75 % (w = 1.5) measured 1/12. Unlike full jitter it never
 * retries sooner than a quarter of the nominal delay, so a server that just
 * came back is not hit by near-zero waits, and the mean wait stays equal to
 * the nominal one (the doubling keeps its meaning).
 */
export type Jitter = "wide" | "half" | "full" | "none";

/** How long to wait between failed attempts; every field optional, defaults in {@link DEFAULT_BACKOFF}. */
export interface BackoffOptions {
  /** First delay after a failure. Default 10 s. */
  minMs?: number;
  /** Largest nominal delay; the doubling stops here. Default 30 s (every wait then under 52.5 s with ±75 %). */
  maxMs?: number;
  /** How each wait is spread around its nominal delay. Default `"wide"` (±75 %). */
  jitter?: Jitter;
  /**
   * The wait after a refusal that retrying soon cannot fix (credentials
   * refused, a request the server calls invalid, an unknown device): long,
   * so a fleet of refused screens does not hammer the server. Default 5 min
   * (at least `maxMs`). New credentials or `wake()` end it at once.
   */
  refusedMs?: number;
}

/**
 * 10 s doubling to 30 s, ±75 % jitter. Why a 30 s cap (it was 5 min): the
 * cap bounds how long a screen waits once the server is back. With ±75 %
 * every wait is under 1.75 × 30 s = 52.5 s, so after an outage of any
 * length every screen is live within about a minute of the server's
 * return (herd benchmark, 2,000 screens, 60 s outage: 52 s; with the 5 min
 * cap 169 s, and up to 525 s after a long outage). The peak stays as low
 * (set by the first retry, 2.5–17.5 s after the failure: 1/12 of
 * lock-step). The price is the load a long outage causes: one attempt per
 * screen every 30 s on average, 33 calls per second per 1,000 screens
 * (5 min cap: 3.4), each a refused connection or a cheap UNAVAILABLE. The
 * alternatives measured are in the README (Performance, "Herd").
 */
export const DEFAULT_BACKOFF = { minMs: 10_000, maxMs: 30_000, jitter: "wide", refusedMs: 300_000 } as const satisfies Required<BackoffOptions>;

/**
 * A backoff calculator: the nominal delay starts at `minMs`, doubles after
 * every wait and stops at `maxMs`; each returned delay is the nominal one
 * with jitter applied. `maxMs` caps the *nominal* delay: with `"wide"` jitter
 * an actual wait at the cap lies in [maxMs/4, maxMs·1.75), so screens that all
 * reached the cap still do not retry together.
 */
export interface Backoff {
  /** The (jittered) delay to wait now; advances the nominal delay for the next call. */
  next(): number;
  /** Back to `minMs` (an attempt delivered a value). */
  reset(): void;
  /**
   * The next wait is the long one for a refusal (`refusedMs`): an error that
   * retrying soon cannot fix. After it the doubling resumes from `maxMs`.
   */
  toRefused(): void;
  /** The nominal delay the next call to `next()` will jitter. */
  readonly nominalMs: number;
}

/** Creates a {@link Backoff}; throws a RangeError for nonsensical bounds. */
export function createBackoff(options: BackoffOptions | undefined, random: RandomSource): Backoff {
  const minMs = options?.minMs ?? DEFAULT_BACKOFF.minMs;
  const maxMs = options?.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const jitter = options?.jitter ?? DEFAULT_BACKOFF.jitter;
  const refusedMs = Math.max(maxMs, options?.refusedMs ?? DEFAULT_BACKOFF.refusedMs);
  if (!(minMs > 0) || !(maxMs >= minMs)) {
    throw new RangeError(`backoff needs 0 < minMs <= maxMs, got minMs=${minMs} maxMs=${maxMs}`);
  }
  let nominal = minMs;
  return {
    next() {
      const delay = applyJitter(nominal, jitter, random);
      nominal = Math.min(nominal * 2, maxMs);
      return delay;
    },
    reset() {
      nominal = minMs;
    },
    toRefused() {
      nominal = refusedMs;
    },
    get nominalMs() {
      return nominal;
    },
  };
}

/** The delay actually waited for a nominal delay; see {@link Jitter}. Rounded to whole ms. */
export function applyJitter(nominalMs: number, jitter: Jitter, random: RandomSource): number {
  switch (jitter) {
    case "none":
      return nominalMs;
    case "full":
      return Math.floor(nominalMs * random());
    case "wide":
      return Math.floor(nominalMs * (0.25 + 1.5 * random()));
    case "half":
      return Math.floor(nominalMs * (0.5 + random()));
  }
}
