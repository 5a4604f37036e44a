import type { CacheSnapshot } from "../core/cache-types.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { Logger } from "../core/logger.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import { scopeKeyOf } from "../protocol/ref-keys.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";
import { toWireSnapshot } from "../protocol/to-wire-snapshot.js";
import type { WireSnapshot } from "../protocol/wire-snapshot.js";
import type { FeedFactory, HostedFeed } from "./host-types.js";

/** One ref the host follows on its feed, and what the host tracks about it. */
export interface Followed {
  readonly ref: PublicationRef;
  /** The latest snapshot, as sent on the wire (greets tabs that join later). */
  readonly last: WireSnapshot | undefined;
  /** The version of its value, if it has one. */
  readonly version: string | undefined;
  /** The value bytes last broadcast in full: the same bytes again travel as a state change only. */
  sentValue: Uint8Array | undefined;
  /** Cancels the pending release (grace period or lease), if one is scheduled. */
  cancelStop: (() => void) | undefined;
}

interface PooledFeed {
  readonly scope: RefScope;
  readonly feed: HostedFeed;
  readonly tuning: EngineTuning | undefined;
  readonly followed: Map<string, Followed & { last: WireSnapshot | undefined; version: string | undefined }>;
  deviceWatchers: number;
  readonly stopListening: () => void;
}

/**
 * The host's feeds, one per server × device × partition — never more, whatever
 * tuning pages ask for — each told which ids are wanted, and closed when
 * nothing of it is (no claimed id, no device watch). Reports every snapshot to
 * `onSnapshot` with the one sent before, and lets the service worker's
 * `waitUntil` wait for the moment nothing is followed.
 */
export class FeedPool {
  readonly #feeds = new Map<string, PooledFeed>();
  #followedCount = 0;
  /**
   * One promise per busy period, shared by every caller: the worker asks on
   * every page message, and a waiter per call would pile up for as long as
   * streams run (weeks on a wall screen).
   */
  #idle: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;

  constructor(
    private readonly createFeed: FeedFactory,
    private readonly onSnapshot: (followed: Followed, previous: WireSnapshot | undefined, snapshot: CacheSnapshot) => void,
    private readonly logger: Logger,
  ) {}

  /** How many refs are followed. */
  get size(): number {
    return this.#followedCount;
  }

  get(ref: PublicationRef): Followed | undefined {
    return this.#feeds.get(scopeKeyOf(ref))?.followed.get(ref.id);
  }

  all(): Followed[] {
    return [...this.#feeds.values()].flatMap((pooled) => [...pooled.followed.values()]);
  }

  /**
   * Follows `ref` on its scope's feed (started if none runs). `restored`: the
   * claim comes from the persisted list, not from a page. Returns whether the
   * ref was newly followed.
   */
  follow(ref: PublicationRef, tuning: EngineTuning | undefined, restored: boolean): { followed: Followed; started: boolean } {
    const pooled = this.#feedFor(ref, tuning, restored);
    const existing = pooled.followed.get(ref.id);
    if (existing) return { followed: existing, started: false };
    const followed = { ref, last: undefined as WireSnapshot | undefined, version: undefined as string | undefined, sentValue: undefined, cancelStop: undefined };
    pooled.followed.set(ref.id, followed);
    this.#followedCount++;
    pooled.feed.want(ref.id);
    return { followed, started: true };
  }

  /** Stops following a ref: its feed stops its work for it, and closes when nothing of it is wanted. */
  release(followed: Followed): void {
    followed.cancelStop?.();
    followed.cancelStop = undefined;
    const key = scopeKeyOf(followed.ref);
    const pooled = this.#feeds.get(key);
    if (pooled?.followed.get(followed.ref.id) !== followed) return;
    pooled.followed.delete(followed.ref.id);
    this.#followedCount--;
    pooled.feed.unwant(followed.ref.id);
    this.#closeIfUnused(key, pooled);
    if (this.#followedCount === 0) this.#wakeIdle();
  }

  /** Watches a whole device on the feed its screens use (one is started if none runs). */
  watchDevice(scope: RefScope, tuning: EngineTuning | undefined, listener: (publications: readonly Publication[]) => void): () => void {
    const pooled = this.#feedFor(scope, tuning, false);
    pooled.deviceWatchers++;
    const stop = pooled.feed.watchDevice(listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      stop();
      pooled.deviceWatchers--;
      this.#closeIfUnused(scopeKeyOf(scope), pooled);
    };
  }

  /** The network is back: every feed retries, polls or checks now. */
  wake(): void {
    for (const pooled of this.#feeds.values()) pooled.feed.wake();
  }

  /** New credentials for `server`: its feeds leave `needs-auth` and retry at once. */
  credentialsChanged(server: string): void {
    for (const pooled of this.#feeds.values()) if (pooled.scope.server === server) pooled.feed.credentialsChanged();
  }

  /** Storage lost what it held: every feed writes its values back; resolves to how many. */
  async storageLost(): Promise<number> {
    const written = await Promise.all([...this.#feeds.values()].map((pooled) => pooled.feed.storageLost()));
    return written.reduce((sum, n) => sum + n, 0);
  }

  /** Resolves once nothing is followed: the same promise for every call until then. */
  whenIdle(): Promise<void> {
    if (this.#followedCount === 0) return Promise.resolve();
    if (!this.#idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  closeAll(): void {
    for (const [key, pooled] of [...this.#feeds]) this.#close(key, pooled);
    this.#followedCount = 0;
    this.#wakeIdle();
  }

  #feedFor(scope: RefScope, tuning: EngineTuning | undefined, restored: boolean): PooledFeed {
    const key = scopeKeyOf(scope);
    let pooled = this.#feeds.get(key);
    if (pooled && !restored && tuning && !sameTuning(tuning, pooled.tuning)) {
      if (unheld(pooled)) {
        // Nobody holds it now (resumed before any page spoke, or every tab of it gone and its
        // refs in their grace period): the page that speaks now says how; still one stream.
        pooled = this.#replace(key, pooled, tuning);
      } else {
        this.logger.warn(
          "page tuning refused: this server × device × partition already has a feed with other tuning, and a device gets one stream",
          { server: scope.server, device: scope.device, asked: JSON.stringify(tuning), running: JSON.stringify(pooled.tuning ?? null) },
        );
      }
    }
    return pooled ?? this.#open(key, scope, tuning);
  }

  #open(key: string, scope: RefScope, tuning: EngineTuning | undefined): PooledFeed {
    const feed = this.createFeed(scope, tuning);
    const followed = new Map<string, Followed & { last: WireSnapshot | undefined; version: string | undefined }>();
    const stopListening = feed.listen((id, snapshot) => {
      const one = followed.get(id);
      if (!one) return;
      const previous = one.last;
      one.last = toWireSnapshot(snapshot);
      one.version = snapshot.value?.publication.version;
      this.onSnapshot(one, previous, snapshot);
    });
    const pooled: PooledFeed = { scope: { server: scope.server, device: scope.device, partition: scope.partition }, feed, tuning, followed, deviceWatchers: 0, stopListening };
    this.#feeds.set(key, pooled);
    return pooled;
  }

  /** Closes a feed nobody holds and opens one with `tuning` that follows the same refs (their pending releases stand). */
  #replace(key: string, old: PooledFeed, tuning: EngineTuning): PooledFeed {
    this.#close(key, old);
    const pooled = this.#open(key, old.scope, tuning);
    for (const [id, followed] of old.followed) {
      pooled.followed.set(id, followed);
      pooled.feed.want(id);
    }
    return pooled;
  }

  #closeIfUnused(key: string, pooled: PooledFeed): void {
    if (pooled.followed.size === 0 && pooled.deviceWatchers === 0 && this.#feeds.get(key) === pooled) this.#close(key, pooled);
  }

  /** Stops listening first, so pages never see the `closed` snapshots of a feed merely released or replaced. */
  #close(key: string, pooled: PooledFeed): void {
    pooled.stopListening();
    if (this.#feeds.get(key) === pooled) this.#feeds.delete(key);
    pooled.feed.close();
  }

  #wakeIdle(): void {
    this.#idle?.resolve();
    this.#idle = undefined;
  }
}

/** True when no tab holds anything of the feed now: no device watch, and every followed ref waits for its release. */
function unheld(pooled: PooledFeed): boolean {
  return pooled.deviceWatchers === 0 && [...pooled.followed.values()].every((followed) => followed.cancelStop !== undefined);
}

function sameTuning(a: EngineTuning | undefined, b: EngineTuning | undefined): boolean {
  return a?.backoffMinMs === b?.backoffMinMs && a?.backoffMaxMs === b?.backoffMaxMs && a?.pollIntervalMs === b?.pollIntervalMs;
}
