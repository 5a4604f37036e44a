import { describe, expect, it } from "vitest";
import type { CachedValue } from "./cache-types.js";
import { cacheHarness, DEVICE, ID, record, settle } from "./testing/cache-harness.js";
import { publication } from "./testing/fake-publication-server.js";

describe("publication cache: delivering values", () => {
  it("asks PullPublication for the device name and the publication id", async () => {
    const { clock, server, cache } = cacheHarness();
    record(cache);
    await clock.advance(0);
    expect(server.pullRequests).toHaveLength(1);
    expect(server.pullRequests[0]).toMatchObject({ name: DEVICE, id: ID, updatesOnly: false });
    cache.close();
  });

  it("delivers the current value first, then every update in order, with metadata", async () => {
    const { clock, server, cache, start0 } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(1_000);
    server.publish(publication(ID, "v2"));
    await clock.advance(1_000);
    server.publish(publication(ID, "v3"));
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v1", "v2", "v3"]);
    expect(seen.values.map((v) => [v.source, v.receivedAt, v.lastConfirmedAt])).toEqual([
      ["stream", start0, start0],
      ["stream", start0 + 1_000, start0 + 1_000],
      ["stream", start0 + 2_000, start0 + 2_000],
    ]);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("gives a late subscriber the current value first", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    const late = record(cache);
    await settle();
    expect(late.versions()).toEqual(["v2"]);
    cache.close();
  });

  it("commits every change of one message in order and ends with the last", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.sendRaw(publication(ID, "v2"), publication(ID, "v3"), publication(ID, "v4"));
    await clock.advance(0);
    // A subscriber may skip intermediates of one tick, but always ends with the latest.
    expect(seen.versions().at(-1)).toBe("v4");
    expect(seen.versions()).toEqual([...new Set(seen.versions())]);
    expect(cache.snapshot().value?.publication.version).toBe("v4");
    cache.close();
  });

  it("never delivers the same value twice in a row, but confirms it", async () => {
    const { clock, server, cache, start0 } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(5_000);
    server.publish(publication(ID, "v1"));
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v1"]);
    const value = cache.snapshot().value;
    expect(value?.receivedAt).toBe(start0);
    expect(value?.lastConfirmedAt).toBe(start0 + 5_000);
    // The watcher hears about the confirmation.
    expect(seen.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(start0 + 5_000);
    cache.close();
  });

  it("treats the same version with other bytes as a new value", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1", "first");
    const seen = record(cache);
    await clock.advance(0);
    server.publish(publication(ID, "v1", "second"));
    await clock.advance(0);
    expect(seen.values.map((v) => new TextDecoder().decode(v.publication.body))).toEqual(["first", "second"]);
    cache.close();
  });

  it("a value that returns after another one is delivered again", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    server.publish(publication(ID, "v1"));
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1", "v2", "v1"]);
    cache.close();
  });

  it("stops delivering to a subscriber that unsubscribed; others go on", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const first = record(cache);
    const second = record(cache);
    await clock.advance(0);
    first.stop();
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(first.versions()).toEqual(["v1"]);
    expect(second.versions()).toEqual(["v1", "v2"]);
    cache.close();
  });

  it("a throwing listener is logged and does not disturb the others", async () => {
    const { clock, server, cache, logger } = cacheHarness();
    server.current = publication(ID, "v1");
    cache.subscribe(() => {
      throw new Error("listener bug");
    });
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1"]);
    expect(logger.at("error").map((e) => e.fields?.error)).toContain("listener bug");
    cache.close();
  });

  it("a listener may unsubscribe itself from inside its callback", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const got: string[] = [];
    const unsubscribe = cache.subscribe((value) => {
      got.push(value.publication.version);
      unsubscribe();
    });
    await clock.advance(0);
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(got).toEqual(["v1"]);
    cache.close();
  });

  it("watch gives the current snapshot first, then every change, and `closed` at once on close", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.snapshots[0]?.state.kind).toBe("connecting");
    expect(seen.snapshots.at(-1)).toMatchObject({ state: { kind: "live" } });
    expect(seen.snapshots.at(-1)?.value?.publication.version).toBe("v1");
    cache.close();
    expect(seen.snapshots.at(-1)?.state.kind).toBe("closed");
    expect(seen.snapshots.at(-1)?.value?.publication.version).toBe("v1");
  });
});

describe("publication cache: values() iterator", () => {
  it("a slow consumer skips intermediates and always gets the latest", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const iterator = cache.values()[Symbol.asyncIterator]();
    await clock.advance(0);
    expect((await iterator.next()).value?.publication.version).toBe("v1");

    // The consumer is busy while three updates arrive.
    for (const version of ["v2", "v3", "v4"]) {
      server.publish(publication(ID, version));
      await clock.advance(1_000);
    }
    expect((await iterator.next()).value?.publication.version).toBe("v4");

    // Nothing new: the next value is the next update, never v4 again.
    const pending = iterator.next();
    server.publish(publication(ID, "v4"));
    await clock.advance(0);
    server.publish(publication(ID, "v5"));
    await clock.advance(0);
    expect((await pending).value?.publication.version).toBe("v5");
    await iterator.return?.();
    cache.close();
  });

  it("waits for the first value when there is none yet", async () => {
    const { clock, server, cache } = cacheHarness();
    const next = cache.values()[Symbol.asyncIterator]().next();
    await clock.advance(0);
    server.publish(publication(ID, "v1"));
    await clock.advance(0);
    expect((await next).value?.publication.version).toBe("v1");
    cache.close();
  });

  it("ends when its signal aborts, also while waiting", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const stop = new AbortController();
    const got: string[] = [];
    const consumed = (async () => {
      for await (const value of cache.values(stop.signal)) got.push(value.publication.version);
    })();
    await clock.advance(0);
    stop.abort();
    await consumed;
    expect(got).toEqual(["v1"]);
    // The cache itself keeps running: only the host closes it.
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("ends when the cache closes", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const got: CachedValue[] = [];
    const consumed = (async () => {
      for await (const value of cache.values()) got.push(value);
    })();
    await clock.advance(0);
    cache.close();
    await consumed;
    expect(got).toHaveLength(1);
  });

  it("breaking out of for-await releases the iterator without closing the cache", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    await clock.advance(0);
    for await (const value of cache.values()) {
      expect(value.publication.version).toBe("v1");
      break;
    }
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(cache.snapshot().value?.publication.version).toBe("v2");
    cache.close();
  });
});
