import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { cacheHarness, ID, record } from "./testing/cache-harness.js";
import { publication } from "./testing/fake-publication-server.js";

const s = 1_000;

describe("publication cache: deleted upstream", () => {
  it("a stream ending OK with the publication gone → removed, value kept, and its return restores live", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(5 * s);
    server.delete();
    await clock.advance(0);

    expect(cache.snapshot().state.kind).toBe("removed");
    expect(cache.snapshot().value?.publication.version).toBe("v1");
    expect(callTimes("get")).toEqual([5 * s]); // the confirmation
    expect(server.getRequests[0]?.readMask).toBeUndefined();

    // Keep watching: reconnect after the backoff; the new stream waits for the publication.
    await clock.advance(10 * s);
    expect(callTimes("pull")).toEqual([0, 15 * s]);
    expect(server.openStreams).toBe(1);
    expect(cache.snapshot().state.kind).toBe("removed");

    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(cache.snapshot().state.kind).toBe("live");
    expect(seen.versions()).toEqual(["v1", "v2"]);
    expect(seen.states()).toEqual(["connecting", "live", "removed", "live"]);
    cache.close();
  });

  it("a server that keeps ending streams of a deleted publication is retried with a growing backoff", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.delete();
    // This server ends every new stream for a missing publication at once.
    server.onCall = (method) => {
      if (method === "pull") queueMicrotask(() => server.endStreams());
    };
    await clock.advance(100 * s);
    expect(callTimes("pull")).toEqual([0, 10, 30, 70].map((t) => t * s));
    expect(cache.snapshot().state.kind).toBe("removed");
    cache.close();
  });

  it("a stream ending OK while the publication exists: take the confirmed value, reconnect after the minimum", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.current = publication(ID, "v2"); // changed, and the stream did not say so
    server.endStreams();
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v1", "v2"]);
    expect(cache.snapshot().value?.source).toBe("poll");
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", lastError: { code: "stream-ended" } });
    await clock.advance(10 * s);
    expect(callTimes("pull")).toEqual([0, 10 * s]);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("a stream ending with an error is a failed attempt, not a removal", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.endStreams(Code.Internal);
    await clock.advance(0);
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", lastError: { code: "internal" } });
    expect(server.getRequests).toEqual([]);
    cache.close();
  });
});

describe("publication cache: dead-stream detection", () => {
  it("a quiet stream is checked once per poll interval; the same version advances lastConfirmedAt", async () => {
    const { clock, server, cache, callTimes, start0 } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(125 * s);

    expect(callTimes("get")).toEqual([60 * s, 120 * s]);
    expect(server.getRequests[0]).toMatchObject({ name: "dev", id: ID, readMask: { paths: ["id", "version"] } });
    expect(cache.snapshot().value?.lastConfirmedAt).toBe(start0 + 120 * s);
    expect(seen.snapshots.map((snap) => snap.value?.lastConfirmedAt)).toContain(start0 + 60 * s);
    expect(seen.versions()).toEqual(["v1"]);
    expect(callTimes("pull")).toEqual([0]);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("messages keep a stream from being checked", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    for (let i = 2; i <= 6; i++) {
      await clock.advance(40 * s);
      server.publish(publication(ID, `v${i}`));
    }
    await clock.advance(0);
    expect(server.getRequests).toEqual([]);
    cache.close();
  });

  it("a stream that missed an update is restarted at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.silenceStreams(); // the connection died without a word
    server.publish(publication(ID, "v2"));
    await clock.advance(30 * s);
    expect(seen.versions()).toEqual(["v1"]);

    await clock.advance(30 * s);
    expect(callTimes("get")).toEqual([60 * s]);
    expect(callTimes("pull")).toEqual([0, 60 * s]);
    expect(server.openStreams).toBe(1);
    expect(seen.versions()).toEqual(["v1", "v2"]);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("a failing check ends the attempt with its error", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.getFailure = Code.Unavailable;
    await clock.advance(60 * s);
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", lastError: { code: "unavailable" } });
    expect(server.openStreams).toBe(0);
    cache.close();
  });

  it("a check answering NOT_FOUND flags the value removed and keeps the stream", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.current = undefined; // gone, and this server did not end the stream
    await clock.advance(60 * s);
    expect(cache.snapshot().state.kind).toBe("removed");
    expect(server.openStreams).toBe(1);
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("wake() checks a quiet stream at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(10 * s);
    cache.wake();
    await clock.advance(0);
    expect(callTimes("get")).toEqual([10 * s]);
    // The next regular check is a full interval later.
    await clock.advance(65 * s);
    expect(callTimes("get")).toEqual([10 * s, 70 * s]);
    cache.close();
  });
});
