import type { Clock } from "../core/clock.js";

/** The real clock: Date.now and the global timers of whatever runtime we are in. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const handle = globalThis.setTimeout(callback, ms);
    return () => globalThis.clearTimeout(handle);
  },
};
