import { describe, expect, it } from "vitest";
import { feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

describe("device feed: lifecycle", () => {
  it("does nothing until a view is first subscribed", async () => {
    const { server, feed, clock } = feedHarness();
    const view = feed.open("a");
    await clock.advance(60_000);
    expect(server.calls).toEqual([]);
    expect(view.snapshot().state.kind).toBe("connecting");
    view.subscribe(() => undefined);
    await settle();
    expect(server.count("pullPublications")).toBe(1);
    feed.close();
  });

  it("lets the connection go when nothing is wanted, and opens one again when something is", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const view = feed.open("a");
    watchView(view);
    await clock.advance(2_000);
    expect(server.openCollectionStreams).toBe(1);
    view.close();
    await settle();
    expect(server.openCollectionStreams).toBe(0);
    expect(feed.stats.mode).toBe("idle");
    const again = watchView(feed.open("a"));
    await settle();
    expect(server.openCollectionStreams).toBe(1);
    expect(again.versions()).toEqual(["v1"]);
    feed.close();
  });

  it("views of one id share one value; closing one leaves the other subscribed", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const first = feed.open("a");
    const second = feed.open("a");
    const one = watchView(first);
    const two = watchView(second);
    await clock.advance(0);
    first.close();
    server.publish(pub("a", "v2"));
    await settle();
    expect(one.versions()).toEqual(["v1"]);
    expect(two.versions()).toEqual(["v1", "v2"]);
    expect(server.count("getPublication")).toBe(2);
    feed.close();
  });

  it("close() leaves nothing behind: no timer, no stream, watchers see closed", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(2_000);
    feed.close();
    await settle();
    expect(a.snapshots.at(-1)?.state.kind).toBe("closed");
    expect(server.openCollectionStreams).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    feed.close();
  });

  it("close() while backing off or polling leaves no timer either", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", 14);
    watchView(feed.open("a"));
    await clock.advance(0);
    expect(clock.pendingTimers).toBeGreaterThan(0);
    feed.close();
    await settle();
    expect(clock.pendingTimers).toBe(0);
  });

  it("refuses an empty id and non-positive timing", () => {
    const { feed } = feedHarness();
    expect(() => feed.open("")).toThrow(RangeError);
    expect(() => feedHarness({ pollIntervalMs: 0 })).toThrow(RangeError);
    feed.close();
  });
});
