import type { Clock } from "../clock.js";

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * The manual clock of every test: time moves only when the test says so.
 * `advance()` fires due timers in order and lets promise chains run in
 * between, so code under test behaves as it would in real time, only
 * instantly and repeatably. `tick()` does the same synchronously, for code
 * whose timers do synchronous work (the host's leases, a server's clock), and
 * `set()` moves the time without firing anything (a wall-clock change).
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
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      timer.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /**
   * Moves time forward by `ms` now, firing every timer that falls due on the
   * way, in order, without waiting for promise chains in between.
   */
  tick(ms: number): void {
    const target = this.#now + ms;
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) timer.callback();
    this.#now = target;
  }

  /** Sets the time to `ms` (forward or back), firing nothing; later moves fire what is due. */
  set(ms: number): void {
    this.#now = ms;
  }

  /** Moves time to the earliest pending timer and fires it (and any due with it). */
  async advanceToNextTimer(): Promise<void> {
    const next = this.nextTimerAt;
    if (next === undefined) throw new Error("no timer is pending");
    await this.advance(next - this.#now);
  }

  /** Takes the earliest timer due by `target` off the list and moves time to it (never back). */
  #nextDue(target: number): Timer | undefined {
    const timer = this.#earliest();
    if (!timer || timer.due > target) return undefined;
    this.#timers.delete(timer.seq);
    this.#now = Math.max(this.#now, timer.due);
    return timer;
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

/** A {@link FakeClock} moved synchronously: `advance` is its `tick`. */
export type ManualClock = Clock & { advance(ms: number): void; set(ms: number): void };

/**
 * A {@link FakeClock} starting at `startMs` whose `advance` is synchronous
 * (`tick`), for tests that move time between synchronous steps.
 */
export function manualClock(startMs: number): ManualClock {
  const clock = new FakeClock(startMs);
  return {
    now: () => clock.now(),
    setTimer: (ms, callback) => clock.setTimer(ms, callback),
    advance: (ms) => clock.tick(ms),
    set: (ms) => clock.set(ms),
  };
}

/**
 * Lets every pending promise chain (and the in-memory router transport) run
 * to its next real wait. Several macrotask turns, because a chain that
 * crosses the transport hops between microtask queues more than once.
 */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
