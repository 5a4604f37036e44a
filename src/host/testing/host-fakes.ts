import type { CacheSnapshot } from "../../core/cache-types.js";
import { manualClock as coreManualClock, type ManualClock } from "../../core/testing/fake-clock.js";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { EngineTuning } from "../../protocol/engine-tuning.js";
import { inScope, refKey } from "../../protocol/ref-keys.js";
import type { PublicationRef, RefScope } from "../../protocol/publication-ref.js";
import type { FeedFactory, HostedFeed, SubscriptionRegistry } from "../host-types.js";

/** Test double: a clock that only moves when told (the core's fake clock, moved synchronously). */
export function manualClock(start = 1_000_000): ManualClock {
  return coreManualClock(start);
}

/**
 * Test double: one publication a {@link FakeFeed} was told to want, whose
 * snapshots the test pushes. `closed` once the feed no longer wants it (or
 * closed); `wakes` and `credentialChanges` count what its feed was told while
 * it was wanted.
 */
export class FakeEngine {
  closed = false;
  credentialChanges = 0;
  wakes = 0;
  constructor(
    readonly ref: PublicationRef,
    readonly tuning: EngineTuning | undefined,
    private readonly emit: (snapshot: CacheSnapshot) => void,
    private current: CacheSnapshot = { value: undefined, state: { kind: "connecting" } },
  ) {}
  push(snapshot: CacheSnapshot) {
    this.current = snapshot;
    if (!this.closed) this.emit(snapshot);
  }
  /** The feed wanted it: it reports what it holds at once. */
  start() {
    this.emit(this.current);
  }
}

/** A device watch on a {@link FakeFeed}: the test calls `listener`; `stopped` once it ends. */
export interface FakeDeviceWatch {
  readonly scope: RefScope;
  readonly listener: (p: readonly Publication[]) => void;
  stopped: boolean;
}

/** Test double: a device feed whose wanted publications are {@link FakeEngine}s. */
export class FakeFeed implements HostedFeed {
  readonly wanted = new Map<string, FakeEngine>();
  closed = false;
  #listener: ((id: string, snapshot: CacheSnapshot) => void) | undefined;
  constructor(
    readonly scope: RefScope,
    readonly tuning: EngineTuning | undefined,
    private readonly onWant: (engine: FakeEngine) => void,
    /** Where its device watches are recorded (shared by the feeds of one factory). */
    readonly deviceWatches: FakeDeviceWatch[] = [],
  ) {}
  want(id: string) {
    if (this.wanted.has(id)) return;
    const engine = new FakeEngine({ ...this.scope, id }, this.tuning, (snapshot) => this.#listener?.(id, snapshot));
    this.wanted.set(id, engine);
    this.onWant(engine);
    engine.start();
  }
  unwant(id: string) {
    const engine = this.wanted.get(id);
    if (engine) engine.closed = true;
    this.wanted.delete(id);
  }
  listen(listener: (id: string, snapshot: CacheSnapshot) => void) {
    this.#listener = listener;
    return () => void (this.#listener = undefined);
  }
  watchDevice(listener: (p: readonly Publication[]) => void) {
    const watch: FakeDeviceWatch = { scope: this.scope, listener, stopped: false };
    this.deviceWatches.push(watch);
    return () => void (watch.stopped = true);
  }
  wake() {
    for (const engine of this.wanted.values()) engine.wakes += 1;
  }
  credentialsChanged() {
    for (const engine of this.wanted.values()) engine.credentialChanges += 1;
  }
  storageLost() {
    return Promise.resolve(this.wanted.size);
  }
  close() {
    this.closed = true;
    for (const id of [...this.wanted.keys()]) this.unwant(id);
  }
}

/**
 * Test double: a feed factory. `engines` lists every publication any feed was
 * told to want, in order; `feeds` every feed; `watches` every device watch.
 */
export function fakeFeeds() {
  const engines: FakeEngine[] = [];
  const feeds: FakeFeed[] = [];
  const watches: FakeDeviceWatch[] = [];
  const createFeed: FeedFactory = (scope, tuning) => {
    const feed = new FakeFeed(scope, tuning, (engine) => engines.push(engine), watches);
    feeds.push(feed);
    return feed;
  };
  return { createFeed, engines, feeds, watches };
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
