import { sleep, type Clock, type SleepOutcome } from "./clock.js";

/**
 * What a cache is waiting for, so that outside events end the right waits:
 * `wake()` ends `backoff`, `poll` and `quiet` waits; `credentialsChanged()`
 * ends `backoff` and `auth` waits.
 * - `backoff`: after a failed attempt.
 * - `auth`: the server refused the credentials.
 * - `poll`: between two GetPublication polls.
 * - `quiet`: an open stream has said nothing; a liveness check follows.
 */
export type WaitKind = "backoff" | "auth" | "poll" | "quiet";

/** The waits of one cache, each on the injected clock and ended early by `interrupt`. */
export class InterruptibleWaits {
  readonly #active = new Set<{ readonly kind: WaitKind; readonly wake: () => void }>();

  constructor(private readonly clock: Clock) {}

  /** Waits `ms` (negative counts as 0); resolves early with "woken" or "aborted". */
  async wait(ms: number, kind: WaitKind, signal: AbortSignal): Promise<SleepOutcome> {
    const { promise, wake } = sleep(this.clock, Math.max(0, ms), signal);
    const entry = { kind, wake };
    this.#active.add(entry);
    try {
      return await promise;
    } finally {
      this.#active.delete(entry);
    }
  }

  /** Ends every current wait of the given kinds; returns whether any was ended. */
  interrupt(kinds: readonly WaitKind[]): boolean {
    let any = false;
    for (const entry of [...this.#active]) {
      if (!kinds.includes(entry.kind)) continue;
      entry.wake();
      any = true;
    }
    return any;
  }
}
