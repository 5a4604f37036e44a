import type { Clock } from "../../core/clock.js";
import { seededRandom } from "../../core/random.js";
import { systemClock } from "../../platform/system-clock.js";
import { holdLeaderLease, type LeaderLeaseOptions, type LeaseChannel } from "../leader-lease.js";

/**
 * One simulated tab standing for a leader lease: its timers (the global
 * ones, so Vitest's fake timers drive them) and its channel's messages go
 * through {@link LeaseTab.hang}: while hung nothing of the tab runs, as with
 * a page whose main thread is stuck; on {@link LeaseTab.wake} everything
 * that came due runs, in order. Its "host" is a flag, on while leading.
 */
export class LeaseTab {
  /** True while this tab runs the host (from `lead` until `lost` aborts). */
  hosting = false;
  /** Every start (`true`) and stop (`false`) of hosting. */
  readonly changes: boolean[] = [];
  readonly done: Promise<void>;
  private readonly withdraw = new AbortController();
  private hung = false;
  private readonly due: Array<() => void> = [];
  /** Where `pagehide` / `pageshow` are dispatched. */
  readonly lifecycle = new EventTarget();

  constructor(
    readonly id: string,
    options: Omit<LeaderLeaseOptions, "clock" | "openChannel" | "lifecycle" | "holderId" | "random"> & { seed?: number },
  ) {
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimer: (ms, callback) => {
        let cancelled = false;
        const cancel = systemClock.setTimer(ms, () => this.run(() => cancelled || callback()));
        return () => {
          cancelled = true;
          cancel();
        };
      },
    };
    const openChannel = (name: string, onMessage: (data: unknown) => void): LeaseChannel => {
      const channel = new BroadcastChannel(name);
      channel.onmessage = (event: MessageEvent<unknown>) => this.run(() => onMessage(event.data), true);
      return { post: (message) => channel.postMessage(message), close: () => channel.close() };
    };
    this.done = holdLeaderLease(
      { ...options, clock, openChannel, lifecycle: this.lifecycle, holderId: id, random: seededRandom(options.seed ?? 1) },
      this.withdraw.signal,
      async (lost) => {
        this.hosting = true;
        this.changes.push(true);
        await new Promise((resolve) => lost.addEventListener("abort", resolve, { once: true }));
        this.hosting = false;
        this.changes.push(false);
      },
    );
  }

  /** The main thread stops: no timer, no message runs until {@link wake}. */
  hang() {
    this.hung = true;
  }

  /** The main thread is back: what came due meanwhile runs now. `dropMessages`: as if none had arrived. */
  wake({ dropMessages = false } = {}) {
    this.hung = false;
    const due = this.due.splice(0);
    for (const run of dropMessages ? due.filter((r) => !messages.has(r)) : due) run();
  }

  /** Resigns (the tab's client closes). */
  resign(): Promise<void> {
    this.withdraw.abort();
    return this.done;
  }

  private run(callback: () => void, isMessage = false) {
    if (!this.hung) {
      callback();
      return;
    }
    if (isMessage) messages.add(callback);
    this.due.push(callback);
  }
}

/** The deferred callbacks that are message deliveries (see `wake({ dropMessages })`). */
const messages = new WeakSet<() => void>();
