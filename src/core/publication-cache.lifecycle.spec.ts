import { getEventListeners } from "node:events";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { PublicationCache } from "./publication-cache.js";
import { cacheHarness, ID, record, settle } from "./testing/cache-harness.js";
import type { FakeClock } from "./testing/fake-clock.js";
import { publication, type FakePublicationServer } from "./testing/fake-publication-server.js";
import { FakeStorage } from "./testing/fake-storage.js";

const s = 1_000;

describe("publication cache: lifecycle", () => {
  it("does nothing until the first subscribe, values or watch", async () => {
    for (const begin of [
      (cache: PublicationCache) => cache.subscribe(() => {}),
      (cache: PublicationCache) => cache.watch(() => {}),
      (cache: PublicationCache) => void cache.values()[Symbol.asyncIterator]().next(),
    ]) {
      const { clock, server, cache } = cacheHarness({ storage: new FakeStorage() });
      await clock.advance(600 * s);
      expect(server.calls).toEqual([]);
      expect(clock.pendingTimers).toBe(0);
      expect(cache.snapshot()).toEqual({ value: undefined, state: { kind: "connecting" } });
      begin(cache);
      await clock.advance(0);
      expect(server.calls.map((c) => c.method)).toEqual(["pull"]);
      cache.close();
    }
  });

  it("keeps working when every listener is gone: only the host closes it", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    seen.stop();
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(server.openStreams).toBe(1);
    expect(cache.snapshot().value?.publication.version).toBe("v2");
    cache.close();
  });

  it("closes when its signal aborts, and then leaves no listener on that signal", async () => {
    const lifetime = new AbortController();
    const { clock, server, cache } = cacheHarness({ signal: lifetime.signal });
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    expect(getEventListeners(lifetime.signal, "abort")).toHaveLength(1);
    lifetime.abort();
    await clock.advance(0);
    expect(cache.snapshot().state.kind).toBe("closed");
    expect(server.openStreams).toBe(0);
    expect(getEventListeners(lifetime.signal, "abort")).toHaveLength(0);
  });

  it("an already aborted signal gives a closed cache that never starts", async () => {
    const { clock, server, cache } = cacheHarness({ signal: AbortSignal.abort() });
    const seen = record(cache);
    await clock.advance(60 * s);
    expect(server.calls).toEqual([]);
    expect(cache.snapshot().state.kind).toBe("closed");
    expect(seen.snapshots).toEqual([]);
  });

  it("after close nothing is delivered and nothing starts; calls are harmless", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    cache.close();
    cache.close();
    cache.wake();
    cache.credentialsChanged();
    const late = record(cache);
    const iterated: unknown[] = [];
    for await (const value of cache.values()) iterated.push(value);
    await clock.advance(600 * s);
    expect(late.values).toEqual([]);
    expect(late.snapshots).toEqual([]);
    expect(iterated).toEqual([]);
    expect(server.calls.map((c) => c.method)).toEqual(["pull"]);
    // The last value stays readable.
    expect(cache.snapshot().value?.publication.version).toBe("v1");
  });

  it("rejects an empty id and a non-positive poll interval", () => {
    expect(() => cacheHarness({ id: "" })).toThrow(RangeError);
    expect(() => cacheHarness({ pollIntervalMs: 0 })).toThrow(RangeError);
  });
});

/** Asserts that nothing of the cache is left running: no timer, stream, held call; no more calls later. */
async function expectNothingLeft(clock: FakeClock, server: FakePublicationServer, cache: PublicationCache) {
  await settle();
  expect(cache.snapshot().state.kind).toBe("closed");
  expect(clock.pendingTimers).toBe(0);
  expect(server.openStreams).toBe(0);
  expect(server.heldGets).toBe(0);
  const calls = server.calls.length;
  await clock.advance(3_600 * s);
  expect(server.calls.length).toBe(calls);
}

describe("publication cache: close leaves nothing behind", () => {
  it("while connecting (stream open, no answer yet)", async () => {
    const { clock, server, cache } = cacheHarness();
    record(cache);
    await clock.advance(0);
    expect(server.openStreams).toBe(1);
    expect(clock.pendingTimers).toBe(1); // the quiet-stream check
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it("while live", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(30 * s);
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it("during a liveness check", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.holdGets = true;
    await clock.advance(60 * s);
    expect(server.heldGets).toBe(1);
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it("during a backoff wait: stops at once", async () => {
    const { clock, server, cache } = cacheHarness();
    server.pullFailure = Code.Unavailable;
    record(cache);
    await clock.advance(5 * s);
    expect(cache.snapshot().state.kind).toBe("retrying");
    expect(clock.pendingTimers).toBe(1);
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it("while waiting between polls: stops at once", async () => {
    const { clock, server, cache } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(30 * s);
    expect(cache.snapshot().state.kind).toBe("polling");
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it("during a poll that has not answered yet", async () => {
    const { clock, server, cache } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.holdGets = true;
    record(cache);
    await clock.advance(0);
    expect(server.heldGets).toBe(1);
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });

  it.each([
    ["needs-auth", (server: FakePublicationServer) => server.endStreams(Code.Unauthenticated)],
    ["removed", (server: FakePublicationServer) => server.delete()],
  ] as const)("in %s", async (state, enter) => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    enter(server);
    await clock.advance(1 * s);
    expect(cache.snapshot().state.kind).toBe(state);
    cache.close();
    await expectNothingLeft(clock, server, cache);
  });
});
