import type { Clock } from "../clock.js";

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A manual clock for tests: time moves only through `advance()`, which fires
 * due timers in order and lets promise chains run in between, so code under
 * test behaves as it would in real time, only instantly and repeatably.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const seq = this.#seq++;
    this.#timers.set(seq, { due: this.#now + Math.max(0, ms), seq, callback });
    return () => this.#timers.delete(seq);
  }

  /** Timers set and neither fired nor cancelled: 0 means nothing is scheduled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** When the earliest pending timer fires, or `undefined` when none is pending. */
  get nextTimerAt(): number | undefined {
    return this.#earliest()?.due;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let timer = this.#earliest(); timer && timer.due <= target; timer = this.#earliest()) {
      this.#timers.delete(timer.seq);
      this.#now = timer.due;
      timer.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Moves time to the earliest pending timer and fires it (and any due with it). */
  async advanceToNextTimer(): Promise<void> {
    const next = this.nextTimerAt;
    if (next === undefined) throw new Error("no timer is pending");
    await this.advance(next - this.#now);
  }

  #earliest(): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (!earliest || timer.due < earliest.due || (timer.due === earliest.due && timer.seq < earliest.seq)) {
        earliest = timer;
      }
    }
    return earliest;
  }
}

/**
 * Lets every pending promise chain (and the in-memory router transport) run
 * to its next real wait. Several macrotask turns, because a chain that
 * crosses the transport hops between microtask queues more than once.
 */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
