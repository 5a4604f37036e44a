/**
 * Time enters the core only through this interface, so the same code runs
 * under fake timers in Node, in a service worker and in a page.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `callback` once after `ms` milliseconds. Returns a function that
   * cancels the timer; cancelling twice, or after it fired, is harmless.
   */
  setTimer(ms: number, callback: () => void): () => void;
}

/**
 * Resolves after `ms`, or early (without error) when `signal` aborts or `wake`
 * is called. Resolves to "elapsed", "aborted" or "woken" so callers can tell.
 */
export function sleep(
  clock: Clock,
  ms: number,
  signal?: AbortSignal,
): { promise: Promise<SleepOutcome>; wake: () => void } {
  let wake: () => void = () => {};
  const promise = new Promise<SleepOutcome>((resolve) => {
    if (signal?.aborted) {
      resolve("aborted");
      return;
    }
    const finish = (outcome: SleepOutcome) => {
      cancel();
      signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish("aborted");
    const cancel = clock.setTimer(ms, () => finish("elapsed"));
    signal?.addEventListener("abort", onAbort, { once: true });
    wake = () => finish("woken");
  });
  return { promise, wake: () => wake() };
}

export type SleepOutcome = "elapsed" | "aborted" | "woken";
