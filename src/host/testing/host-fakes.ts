import type { CacheSnapshot } from "../../core/cache-types.js";
import type { Clock } from "../../core/clock.js";
import type { EngineTuning } from "../../protocol/engine-tuning.js";
import { inScope, refKey, type PublicationRef, type RefScope } from "../../protocol/publication-ref.js";
import type { HostedEngine, SubscriptionRegistry } from "../host-types.js";

/** Test double: a clock that only moves when told. */
export function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  let timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer(ms, callback) {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.cancelled = true;
        due.callback();
      }
      now = until;
      timers = timers.filter((t) => !t.cancelled);
    },
  };
}

/** Test double: an engine whose snapshots the test pushes. */
export class FakeEngine implements HostedEngine {
  closed = false;
  credentialChanges = 0;
  private watchers = new Set<(s: CacheSnapshot) => void>();
  constructor(
    readonly ref: PublicationRef,
    readonly tuning: EngineTuning | undefined,
    private current: CacheSnapshot = { value: undefined, state: { kind: "connecting" } },
  ) {}
  watch(callback: (s: CacheSnapshot) => void) {
    this.watchers.add(callback);
    callback(this.current);
    return () => void this.watchers.delete(callback);
  }
  push(snapshot: CacheSnapshot) {
    this.current = snapshot;
    for (const watcher of this.watchers) watcher(snapshot);
  }
  wakes = 0;
  wake() {
    this.wakes += 1;
  }
  credentialsChanged() {
    this.credentialChanges += 1;
  }
  close() {
    this.closed = true;
  }
}

/** Test double: a subscription registry in memory. */
export function memoryRegistry(initial: PublicationRef[] = []): SubscriptionRegistry & { refs: Map<string, PublicationRef> } {
  const refs = new Map(initial.map((ref) => [refKey(ref), ref]));
  return {
    refs,
    put: async (ref) => void refs.set(refKey(ref), ref),
    remove: async (ref) => void refs.delete(refKey(ref)),
    list: async () => [...refs.values()],
    clearScope: async (scope: RefScope) => {
      for (const [key, ref] of refs) if (inScope(ref, scope)) refs.delete(key);
    },
  };
}
