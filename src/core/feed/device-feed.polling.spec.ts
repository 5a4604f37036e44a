import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";
import { nextPollDelay } from "./poll-schedule.js";

/** A body of `bytes` characters. */
const body = (id: string, bytes: number) => `${id} `.padEnd(bytes, "x");

/** A server as `pgxpublications` is: no pulls, read masks ignored, UNKNOWN "no rows in result set" for a missing row, no total. */
function databaseLikeHarness(options: Parameters<typeof feedHarness>[0] = {}) {
  const harness = feedHarness(options);
  const { server } = harness;
  server.failures.set("pullPublications", Code.Unimplemented);
  server.failures.set("pullPublication", Code.Unimplemented);
  server.ignoreReadMasks = true;
  server.missingCode = Code.Unknown;
  server.listCountsTotal = false;
  return harness;
}

/** Calls of the server from `from` on, by method. */
function callsSince(server: ReturnType<typeof feedHarness>["server"], from: number) {
  const calls = server.calls.slice(from);
  return {
    list: calls.filter((c) => c.method === "listPublications").length,
    get: calls.filter((c) => c.method === "getPublication").length,
  };
}

describe("device feed polling: what a poll costs", () => {
  it("a server that ignores read masks: one listed publication shows it, then a Get per wanted publication — 10 bodies a poll, not the device's 500", async () => {
    const { server, feed, clock } = databaseLikeHarness();
    for (let i = 0; i < 500; i++) server.seed(pub(`p${String(i).padStart(3, "0")}`, "v1", body(`p${i}`, 2_000)));
    const wanted = Array.from({ length: 10 }, (_, i) => `p${String(i * 50).padStart(3, "0")}`);
    const views = wanted.map((id) => watchView(feed.open(id)));
    await clock.advance(0);
    expect(feed.stats.mode).toBe("polling");
    expect(views.every((v) => v.versions().length === 1)).toBe(true);
    // The mask probe: one publication's listing, with its body (the server ignored the mask).
    expect(server.calls.filter((c) => c.method === "listPublications").map((c) => (c.request as { pageSize: number }).pageSize)).toEqual([1]);

    for (let poll = 0; poll < 3; poll++) {
      const before = { calls: server.calls.length, bytes: server.bytesSent };
      await clock.advance(60_000);
      expect(callsSince(server, before.calls)).toEqual({ list: 0, get: 10 });
      const tenBodies = wanted.reduce((sum, id) => sum + server.get(id)!.body.length, 0);
      expect(server.bytesSent - before.bytes).toBeLessThanOrEqual(tenBodies * 1.1);
    }
    // A change is seen at the next poll, and nothing else is downloaded for it.
    server.seed(pub(wanted[3]!, "v2", body("changed", 2_000)));
    await clock.advance(60_000);
    expect(views[3]?.versions()).toEqual(["v1", "v2"]);
    expect(views.map((v) => v.state())).toEqual(wanted.map(() => "polling"));
    feed.close();
  });

  it("a server that honours masks: the metadata listing is measured, and the cheaper way taken each poll", async () => {
    // Big bodies, few publications: the listing (metadata) is far cheaper than a Get of each.
    const big = feedHarness();
    big.server.failures.set("pullPublications", Code.Unimplemented);
    big.server.failures.set("pullPublication", Code.Unimplemented);
    for (let i = 0; i < 40; i++) big.server.seed(pub(`b${i}`, "v1", body(`b${i}`, 10_000)));
    for (let i = 0; i < 10; i++) watchView(big.feed.open(`b${i}`));
    await big.clock.advance(0);
    let before = big.server.calls.length;
    await big.clock.advance(60_000);
    expect(callsSince(big.server, before)).toEqual({ list: 1, get: 0 });
    big.feed.close();

    // Two small publications of a device of 3,000: two Gets cost less than listing 3,000 records.
    const many = feedHarness();
    many.server.failures.set("pullPublications", Code.Unimplemented);
    many.server.failures.set("pullPublication", Code.Unimplemented);
    for (let i = 0; i < 3_000; i++) many.server.seed(pub(`m${String(i).padStart(4, "0")}`, "v1", "tiny"));
    const m = watchView(many.feed.open("m0001"));
    watchView(many.feed.open("m2999"));
    await many.clock.advance(0);
    // The first poll measured the listing: metadata of 3,000, three pages.
    expect(many.feed.stats.devicePublications).toBe(3_000);
    before = many.server.calls.length;
    await many.clock.advance(60_000);
    expect(callsSince(many.server, before)).toEqual({ list: 0, get: 2 });
    many.server.seed(pub("m0001", "v2", "tiny too"));
    await many.clock.advance(60_000);
    expect(m.versions()).toEqual(["v1", "v2"]);
    many.feed.close();
  });

  it("a fleet view (the whole device watched) lists the device every poll, even where that carries bodies", async () => {
    const { server, feed, clock } = databaseLikeHarness();
    for (let i = 0; i < 30; i++) server.seed(pub(`p${i}`, "v1", body(`p${i}`, 500)));
    const seen: number[] = [];
    const stop = feed.watchDevice((publications) => seen.push(publications.length));
    await clock.advance(0);
    await settle();
    expect(seen.at(-1)).toBe(30);
    const before = server.calls.length;
    await clock.advance(60_000);
    expect(callsSince(server, before)).toEqual({ list: 1, get: 0 });
    stop();
    feed.close();
  });
});

describe("device feed polling: failures", () => {
  it("a Get that fails while others wait in the queue ends the poll; after the backoff polling goes on", async () => {
    const { server, feed, clock } = databaseLikeHarness();
    for (const id of ["a", "b", "c", "d"]) server.seed(pub(id, "v1"));
    const views = ["a", "b", "c", "d"].map((id) => watchView(feed.open(id)));
    await clock.advance(0);
    server.failures.set("getPublication", Code.Unavailable);
    await clock.advance(60_000);
    expect(views[0]?.state()).toBe("retrying");
    server.failures.delete("getPublication");
    server.seed(pub("d", "v2"));
    await clock.advance(10_000);
    expect(views[3]?.versions()).toEqual(["v1", "v2"]);
    expect(views.map((v) => v.state())).toEqual(["polling", "polling", "polling", "polling"]);
    feed.close();
  });
});

describe("device feed polling: deletions on a server that says UNKNOWN for a missing row", () => {
  it("UNKNOWN from Get, and the listing lacks it → removed, the last value kept", async () => {
    const { server, feed, clock, logger } = databaseLikeHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const viewA = feed.open("a");
    const a = watchView(viewA);
    const b = watchView(feed.open("b"));
    await clock.advance(0);
    server.remove("a", { silently: true });
    const before = server.calls.length;
    await clock.advance(60_000);
    // Two Gets (one said UNKNOWN), then one listing to check.
    expect(callsSince(server, before)).toEqual({ list: 1, get: 2 });
    expect(a.state()).toBe("removed");
    expect(viewA.snapshot().value?.publication.version).toBe("v1");
    expect(b.state()).toBe("polling");
    expect(logger.entries.some((entry) => entry.message.includes("UNKNOWN"))).toBe(true);
    feed.close();
  });

  it("UNKNOWN from Get, and the listing has it → not removed: the listed value is taken (a database failure, not a deletion)", async () => {
    const { server, feed, clock } = databaseLikeHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.seed(pub("a", "v2"));
    server.failNext.set("getPublication", Code.Unknown);
    await clock.advance(60_000);
    expect(a.state()).toBe("polling");
    expect(a.versions()).toEqual(["v1", "v2"]);
    feed.close();
  });

  it("a publication wanted while polling by Gets is fetched at once, not at the next poll", async () => {
    const { server, feed, clock } = databaseLikeHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"));
    watchView(feed.open("a"));
    await clock.advance(0);
    const b = watchView(feed.open("b"));
    await settle();
    expect(b.versions()).toEqual(["v1"]);
    feed.close();
  });
});

describe("device feed polling: a fleet does not poll in lock-step", () => {
  it("each wait is the interval ± 20 %", () => {
    expect(nextPollDelay(60_000, () => 0)).toBe(48_000);
    expect(nextPollDelay(60_000, () => 0.5)).toBe(60_000);
    expect(nextPollDelay(60_000, () => 0.999_999)).toBeCloseTo(72_000, 0);
  });

  it("two screens started together poll at moments drawn apart", async () => {
    const early = databaseLikeHarness({ random: () => 0 });
    const late = databaseLikeHarness({ random: () => 0.99 });
    for (const { server, feed, clock } of [early, late]) {
      server.seed(pub("a", "v1"));
      watchView(feed.open("a"));
      await clock.advance(0);
      await clock.advance(50_000);
    }
    expect(early.server.count("getPublication")).toBe(2);
    expect(late.server.count("getPublication")).toBe(1);
    early.feed.close();
    late.feed.close();
  });
});
