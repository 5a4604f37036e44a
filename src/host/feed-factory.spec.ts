import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import type { CacheSnapshot } from "../core/cache-types.js";
import { FakeClock, settle } from "../core/testing/fake-clock.js";
import { FakeDeviceServer } from "../core/testing/fake-device-server.js";
import { pub } from "../core/testing/feed-harness.js";
import { seededRandom } from "../core/random.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { silentLogger } from "../core/logger.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import { refKey } from "../protocol/ref-keys.js";
import type { PublicationRef } from "../protocol/publication-ref.js";
import { createFeedFactory } from "./feed-factory.js";
import { FeedPool } from "./feed-pool.js";
import { memoryTokenKeeper, type FeedFactory, type HostedFeed } from "./host-types.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup() {
  const clock = new FakeClock();
  const server = new FakeDeviceServer(() => clock.now());
  const db = openPubCacheDatabase({ name: `factory-${Math.random()}`, factory: new IDBFactory() });
  cleanups.push(() => db.close());
  const tokens = memoryTokenKeeper();
  const headers: Array<string | null> = [];
  const feedFactory = createFeedFactory({
    db,
    tokens,
    clock,
    random: seededRandom(1),
    transportFor: (_server, interceptors) =>
      server.transportWith([
        ...interceptors,
        // Inside the factory's own interceptor: sees the header it set.
        (next) => (request) => {
          headers.push(request.header.get("authorization"));
          return next(request);
        },
      ]),
  });
  // The host's seam: the pool runs the factory's feeds, one per scope; each claim is followed on its feed.
  const open = new Set<HostedFeed>();
  const recording: FeedFactory = (scope, tuning) => {
    const feed = feedFactory(scope, tuning);
    open.add(feed);
    return { ...feed, want: feed.want, unwant: feed.unwant, listen: feed.listen, close: () => (open.delete(feed), feed.close()) };
  };
  const watchers = new Map<string, Set<(s: CacheSnapshot) => void>>();
  const pool = new FeedPool(recording, (followed, _previous, snapshot) => {
    for (const watcher of watchers.get(refKey(followed.ref)) ?? []) watcher(snapshot);
  }, silentLogger);
  const factory = Object.assign(
    (r: PublicationRef, tuning: EngineTuning | undefined) => {
      const { followed } = pool.follow(r, tuning, false);
      return {
        watch(callback: (s: CacheSnapshot) => void) {
          const set = watchers.get(refKey(r)) ?? new Set();
          watchers.set(refKey(r), set.add(callback));
          return () => void set.delete(callback);
        },
        close: () => pool.release(followed),
      };
    },
    { feeds: () => [...open] },
  );
  const ref = (id: string, partition = "") => ({ server: "http://bms.example", device: "dev", partition, id });
  const watch = (engine: { watch(cb: (s: CacheSnapshot) => void): () => void }) => {
    const seen: CacheSnapshot[] = [];
    engine.watch((s) => seen.push(s));
    return seen;
  };
  return { clock, server, factory, tokens, headers, ref, watch };
}

describe("feed factory and pool: the host's feeds", () => {
  it("gives every publication of one server × device × partition the same feed: one stream", async () => {
    const { server, factory, ref, watch, clock } = setup();
    for (const id of ["a", "b", "c"]) server.seed(pub(id, "v1"));
    const engines = ["a", "b", "c"].map((id) => factory(ref(id), undefined));
    const seen = engines.map(watch);
    await clock.advance(0);
    await settle();
    expect(server.count("pullPublications")).toBe(1);
    expect(factory.feeds()).toHaveLength(1);
    expect(seen.map((s) => s.at(-1)?.value?.publication.version)).toEqual(["v1", "v1", "v1"]);

    const other = factory(ref("a", "user-2"), undefined);
    watch(other);
    await settle();
    expect(factory.feeds()).toHaveLength(2);
    expect(server.count("pullPublications")).toBe(2);

    for (const engine of [...engines, other]) void engine.close();
    await settle();
    expect(factory.feeds()).toHaveLength(0);
    expect(server.openCollectionStreams).toBe(0);
  });

  it("reads the server's token at call time", async () => {
    const { server, factory, ref, watch, tokens, headers, clock } = setup();
    server.seed(pub("a", "v1"));
    tokens.set("http://bms.example", "t1");
    const engine = factory(ref("a"), undefined);
    watch(engine);
    await clock.advance(0);
    expect(headers[0]).toBe("Bearer t1");
    void engine.close();
  });

  // Issue 16: feeds were kept apart by the tuning pages asked for (two streams for one device); now a device gets one.
  it("keeps one feed per device whatever tuning pages ask for", async () => {
    const { factory, ref } = setup();
    const plain = factory(ref("a"), undefined);
    const tuned = factory(ref("b"), { pollIntervalMs: 1_000 });
    expect(factory.feeds()).toHaveLength(1);
    void plain.close();
    void tuned.close();
  });
});
