import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import { FeedPool } from "./feed-pool.js";
import { fakeFeeds } from "./testing/host-fakes.js";

const ref = (id: string) => ({ server: "http://127.0.0.1:7000", device: "dev", id, partition: "" });

describe("feed pool", () => {
  it("hands every caller the same idle promise during a busy period (nothing piles up per call), a new one after", async () => {
    const pool = new FeedPool(fakeFeeds().createFeed, () => undefined, silentLogger);
    await expect(pool.whenIdle()).resolves.toBeUndefined();
    const { followed: running } = pool.follow(ref("x"), undefined, false);
    const first = pool.whenIdle();
    expect(pool.whenIdle()).toBe(first);
    let idle = false;
    void first.then(() => (idle = true));
    pool.release(running);
    await first;
    expect(idle).toBe(true);

    pool.follow(ref("y"), undefined, false);
    const second = pool.whenIdle();
    expect(second).not.toBe(first);
    pool.closeAll();
    await expect(second).resolves.toBeUndefined();
  });

  it("one feed per server × device × partition whatever the tuning: a second tuning is refused (logged), never a second stream", () => {
    const { createFeed, feeds } = fakeFeeds();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const pool = new FeedPool(createFeed, () => undefined, logger);
    pool.follow(ref("a"), undefined, false);
    pool.follow(ref("b"), { pollIntervalMs: 1_000 }, false);
    const stop = pool.watchDevice({ server: ref("a").server, device: "dev", partition: "" }, { backoffMinMs: 100 }, () => undefined);
    expect(feeds).toHaveLength(1);
    expect(feeds[0]?.tuning).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("page tuning refused");
    stop();
    pool.closeAll();
    expect(feeds[0]?.closed).toBe(true);
  });

  it("a feed nobody holds now (its refs waiting for release) takes the tuning of the page that speaks: closed and opened again, still one", () => {
    const { createFeed, feeds } = fakeFeeds();
    const pool = new FeedPool(createFeed, () => undefined, silentLogger);
    const { followed } = pool.follow(ref("a"), undefined, false);
    followed.cancelStop = () => undefined;
    pool.watchDevice({ server: ref("a").server, device: "dev", partition: "" }, { pollIntervalMs: 500 }, () => undefined);
    expect(feeds.map((feed) => [feed.closed, feed.tuning])).toEqual([
      [true, undefined],
      [false, { pollIntervalMs: 500 }],
    ]);
    expect([...feeds[1]!.wanted.keys()]).toEqual(["a"]);
    pool.closeAll();
  });

  it("closes a feed once nothing of it is followed or watched", () => {
    const { createFeed, feeds } = fakeFeeds();
    const pool = new FeedPool(createFeed, () => undefined, silentLogger);
    const { followed } = pool.follow(ref("a"), undefined, false);
    const stop = pool.watchDevice({ server: ref("a").server, device: "dev", partition: "" }, undefined, () => undefined);
    pool.release(followed);
    expect(feeds[0]?.closed).toBe(false);
    stop();
    expect(feeds[0]?.closed).toBe(true);
  });
});
