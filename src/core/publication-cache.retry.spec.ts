import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { cacheHarness, ID, record } from "./testing/cache-harness.js";
import { publication } from "./testing/fake-publication-server.js";

const s = 1_000;

describe("publication cache: backoff", () => {
  it("backs off from the minimum, doubling up to the cap (jitter off)", async () => {
    const { clock, server, cache, callTimes, start0 } = cacheHarness();
    server.pullFailure = Code.Unavailable;
    record(cache);
    await clock.advance(0);
    const state = cache.snapshot().state;
    expect(state).toMatchObject({ kind: "retrying", nextAttemptAt: start0 + 10 * s, lastError: { code: "unavailable" } });

    await clock.advance(400 * s);
    expect(callTimes("pull")).toEqual([0, 10, 30, 70, 150, 230, 310, 390].map((t) => t * s));
    cache.close();
  });

  it("jitters every wait: exact schedule for a seeded random", async () => {
    const { clock, server, cache, callTimes } = cacheHarness({
      backoff: { minMs: 10 * s, maxMs: 80 * s, jitter: "half" },
      random: seededRandom(1),
    });
    server.pullFailure = Code.Unavailable;
    record(cache);
    await clock.advance(300 * s);
    // Waits 11 270, 10 054, 41 097, 118 484, 117 470 ms (see backoff.spec.ts).
    expect(callTimes("pull")).toEqual([0, 11_270, 21_324, 62_421, 180_905, 298_375]);
    cache.close();
  });

  it("jittered waits stay within ±50 % of the nominal delay", async () => {
    const { clock, server, cache, callTimes } = cacheHarness({
      backoff: { minMs: 10 * s, maxMs: 80 * s, jitter: "half" },
      random: seededRandom(99),
    });
    server.pullFailure = Code.Unavailable;
    record(cache);
    await clock.advance(2_000 * s);
    const times = callTimes("pull");
    const waits = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    const nominal = [10, 20, 40, 80, 80, 80, 80, 80, 80, 80].map((t) => t * s);
    waits.slice(0, nominal.length).forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual((nominal[i] ?? 0) / 2);
      expect(wait).toBeLessThan((nominal[i] ?? 0) * 1.5);
    });
    expect(new Set(waits.slice(3)).size).toBeGreaterThan(1);
    cache.close();
  });

  it("resets to the minimum before the wait that follows an attempt that delivered", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unavailable;
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(35 * s); // attempts at 0, 10, 30 failed; the next wait would be 40 s
    server.pullFailure = undefined;
    await clock.advance(35 * s); // attempt at 70 delivers v1
    expect(cache.snapshot().state.kind).toBe("live");

    server.endStreams(Code.Unavailable); // at 70 s
    await clock.advance(0);
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", nextAttemptAt: clock.now() + 10 * s });
    await clock.advance(15 * s);
    // The Go version waited 40 s here (it reset only after waiting).
    expect(callTimes("pull")).toEqual([0, 10, 30, 70, 80].map((t) => t * s));
    cache.close();
  });

  it("treats Code.Unknown (fetch's 'Failed to fetch') as transient", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unknown;
    record(cache);
    await clock.advance(35 * s);
    expect(callTimes("pull")).toEqual([0, 10, 30].map((t) => t * s));
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", lastError: { code: "unknown" } });
    cache.close();
  });

  it("wake() ends the current backoff wait at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unavailable;
    record(cache);
    await clock.advance(3 * s);
    cache.wake();
    await clock.advance(0);
    expect(callTimes("pull")).toEqual([0, 3 * s]);
    // The backoff still grows: the next wait is 20 s.
    await clock.advance(25 * s);
    expect(callTimes("pull")).toEqual([0, 3 * s, 23 * s]);
    cache.close();
  });

  it("wake() while nothing waits changes nothing", async () => {
    const { clock, server, cache } = cacheHarness();
    server.current = publication(ID, "v1");
    server.pullFailure = Code.Unimplemented;
    record(cache);
    await clock.advance(0);
    const calls = server.calls.length;
    server.onCall = () => cache.wake();
    await clock.advance(60 * s);
    expect(server.calls.length).toBe(calls + 1);
    cache.close();
  });
});

describe("publication cache: polling (server answers UNIMPLEMENTED)", () => {
  it("polls GetPublication at once, then every poll interval", async () => {
    const { clock, server, cache, callTimes, start0 } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    expect(cache.snapshot().state.kind).toBe("polling");
    expect(seen.values[0]).toMatchObject({ source: "poll", receivedAt: start0, lastConfirmedAt: start0 });

    server.current = publication(ID, "v2");
    await clock.advance(185 * s);
    expect(callTimes("pull")).toEqual([0]);
    expect(callTimes("get")).toEqual([0, 60, 120, 180].map((t) => t * s));
    expect(server.getRequests[0]).toMatchObject({ name: "dev", id: ID });
    expect(seen.versions()).toEqual(["v1", "v2"]);
    // An unchanged poll confirms the value.
    expect(cache.snapshot().value?.lastConfirmedAt).toBe(start0 + 180 * s);
    cache.close();
  });

  it("a failed poll ends the attempt; the next attempt tries the stream again", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    server.getFailure = Code.Unavailable;
    await clock.advance(60 * s);
    // The attempt delivered v1, so the wait is the minimum.
    expect(cache.snapshot().state).toMatchObject({ kind: "retrying", nextAttemptAt: clock.now() + 10 * s });
    server.getFailure = undefined;
    await clock.advance(10 * s);
    expect(callTimes("pull")).toEqual([0, 70 * s]);
    expect(callTimes("get")).toEqual([0, 60 * s, 70 * s]);
    expect(cache.snapshot().state.kind).toBe("polling");
    cache.close();
  });

  it("INVALID_ARGUMENT from a poll is reported and backs off to the maximum", async () => {
    const { clock, server, cache, callTimes, logger } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.getFailure = Code.InvalidArgument;
    record(cache);
    await clock.advance(0);
    expect(cache.snapshot().state).toMatchObject({
      kind: "retrying",
      nextAttemptAt: clock.now() + 80 * s,
      lastError: { code: "invalid_argument" },
    });
    expect(logger.at("warn").some((e) => e.fields?.code === "invalid_argument")).toBe(true);
    await clock.advance(170 * s);
    expect(callTimes("get")).toEqual([0, 80, 160].map((t) => t * s));
    cache.close();
  });

  it("NOT_FOUND from a poll flags the kept value as removed and backs off to the maximum", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.current = undefined;
    await clock.advance(60 * s);
    expect(cache.snapshot().state.kind).toBe("removed");
    expect(cache.snapshot().value?.publication.version).toBe("v1");
    expect(cache.snapshot().lastError?.code).toBe("not_found");

    // It comes back: the next attempt (after the maximum) finds it.
    server.current = publication(ID, "v2");
    await clock.advance(80 * s);
    expect(callTimes("get")).toEqual([0, 60, 140].map((t) => t * s));
    expect(cache.snapshot().state.kind).toBe("polling");
    expect(seen.versions()).toEqual(["v1", "v2"]);
    cache.close();
  });

  it("wake() polls at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(20 * s);
    cache.wake();
    await clock.advance(0);
    expect(callTimes("get")).toEqual([0, 20 * s]);
    cache.close();
  });
});

describe("publication cache: refused credentials", () => {
  it.each([Code.Unauthenticated, Code.PermissionDenied])(
    "code %s → needs-auth, no hammering: the next try only after the maximum backoff",
    async (code) => {
      const { clock, server, cache, callTimes } = cacheHarness();
      server.refuseAll = code;
      record(cache);
      await clock.advance(0);
      expect(cache.snapshot().state).toMatchObject({ kind: "needs-auth", lastError: { at: clock.now() } });
      cache.wake(); // the page became visible: that does not fix credentials
      await clock.advance(170 * s);
      expect(callTimes("pull")).toEqual([0, 80, 160].map((t) => t * s));
      cache.close();
    },
  );

  it("credentialsChanged() leaves needs-auth and retries at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.refuseAll = Code.Unauthenticated;
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(30 * s);
    server.refuseAll = undefined;
    cache.credentialsChanged();
    await clock.advance(0);
    expect(callTimes("pull")).toEqual([0, 30 * s]);
    expect(cache.snapshot().state.kind).toBe("live");
    expect(seen.states()).toEqual(["connecting", "needs-auth", "connecting", "live"]);
    cache.close();
  });

  it("credentials that changed while the refused call was under way are tried at once", async () => {
    const { clock, server, cache, callTimes } = cacheHarness();
    server.refuseAll = Code.Unauthenticated;
    server.onCall = () => {
      server.onCall = undefined;
      cache.credentialsChanged();
    };
    record(cache);
    await clock.advance(0);
    expect(callTimes("pull")).toEqual([0, 0]);
    expect(cache.snapshot().state.kind).toBe("needs-auth");
    cache.close();
  });
});
