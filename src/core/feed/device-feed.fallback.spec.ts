import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { acknowledged, feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

describe("device feed: servers that cannot stream the whole device", () => {
  it("PullPublications UNIMPLEMENTED → one PullPublication per wanted publication, added and dropped as wanted", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    expect(feed.stats.mode).toBe("per-publication");
    expect(server.openPublicationStreams).toBe(1);
    expect(a.versions()).toEqual(["v1"]);
    expect(a.state()).toBe("live");

    const viewB = feed.open("b");
    const b = watchView(viewB);
    // While the first stream probes whether PullPublication works, the others wait (1 s).
    await settle();
    expect(server.openPublicationStreams).toBe(1);
    await clock.advance(1_000);
    expect(server.openPublicationStreams).toBe(2);
    server.publish(pub("b", "v2"));
    await settle();
    expect(b.versions()).toEqual(["v1", "v2"]);
    viewB.close();
    await settle();
    expect(server.openPublicationStreams).toBe(1);
    expect(server.count("pullPublications")).toBe(1);
    feed.close();
  });

  it("both pulls UNIMPLEMENTED, read masks honoured → one listing of metadata per poll interval, bodies only for what changed", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.failures.set("pullPublication", Code.Unimplemented);
    for (let i = 0; i < 20; i++) server.seed(pub(`p${i}`, "v1"));
    const views = [watchView(feed.open("p1")), watchView(feed.open("p2")), watchView(feed.open("p3"))];
    await clock.advance(0);
    expect(feed.stats.mode).toBe("polling");
    expect(server.count("pullPublication")).toBe(1);
    // One listed publication says masks are honoured; then the device's metadata.
    expect(server.count("listPublications")).toBe(2);
    expect(server.count("getPublication")).toBe(3);
    expect(views.map((v) => v.state())).toEqual(["polling", "polling", "polling"]);

    server.seed(pub("p2", "v2"), pub("p9", "v2"));
    await clock.advance(60_000);
    expect(server.count("listPublications")).toBe(3);
    expect(server.count("getPublication")).toBe(4);
    expect(views[1]?.versions()).toEqual(["v1", "v2"]);

    // An acknowledgement is seen by polling too (the listing carries the audience), without a download.
    server.seed(acknowledged(server.get("p1")!, clock.now()));
    server.remove("p3", { silently: true });
    await clock.advance(60_000);
    expect(server.count("getPublication")).toBe(4);
    expect(views[0]?.values.at(-1)?.publication.audience?.receipt).toBe(2);
    expect(views[2]?.state()).toBe("removed");
    feed.close();
  });

  it("re-probes the better way after a while: an upgraded server gets one stream again", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.failures.set("pullPublication", Code.Unimplemented);
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    expect(feed.stats.mode).toBe("polling");
    server.failures.clear();
    await clock.advance(599_000);
    expect(feed.stats.mode).toBe("polling");
    await clock.advance(60_000);
    expect(feed.stats.mode).toBe("collection");
    expect(server.openCollectionStreams).toBe(1);
    server.publish(pub("a", "v2"));
    await settle();
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("each way is probed again when a connection starts after the re-probe time, not before", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    await clock.advance(0);
    expect(server.count("pullPublications")).toBe(1);
    server.endStreams(Code.Unavailable);
    await clock.advance(30_000);
    // The per-publication stream reconnected on its own; PullPublications was not asked again.
    expect(server.count("pullPublications")).toBe(1);
    expect(server.count("pullPublication")).toBeGreaterThanOrEqual(2);
    await clock.advance(600_000);
    expect(server.count("pullPublications")).toBe(2);
    feed.close();
  });

  it("polling survives a failed listing with backoff, and wake() polls at once", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.failures.set("pullPublication", Code.Unimplemented);
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.failures.set("listPublications", Code.Unavailable);
    await clock.advance(60_000);
    expect(a.snapshots.at(-1)?.state).toMatchObject({ kind: "retrying", lastError: { code: "unavailable" } });
    server.failures.delete("listPublications");
    server.seed(pub("a", "v2"));
    feed.wake();
    await settle();
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(a.state()).toBe("polling");
    feed.close();
  });
});
