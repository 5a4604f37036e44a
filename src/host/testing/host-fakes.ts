import type { CacheSnapshot } from "../../core/cache-types.js";
import { manualClock as coreManualClock, type ManualClock } from "../../core/testing/fake-clock.js";
import type { EngineTuning } from "../../protocol/engine-tuning.js";
import { inScope, refKey, type PublicationRef, type RefScope } from "../../protocol/publication-ref.js";
import type { HostedEngine, SubscriptionRegistry } from "../host-types.js";

/** Test double: a clock that only moves when told (the core's fake clock, moved synchronously). */
export function manualClock(start = 1_000_000): ManualClock {
  return coreManualClock(start);
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
