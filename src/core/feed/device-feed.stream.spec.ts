import { describe, expect, it } from "vitest";
import { ChangeType } from "../../gen/smartcore/types/change_pb.js";
import { acknowledged, feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";
import { METADATA_READ_MASK } from "./publication-metadata.js";

const requestsOf = (server: ReturnType<typeof feedHarness>["server"], method: "getPublication" | "pullPublications" | "listPublications") =>
  server.calls.filter((call) => call.method === method).map((call) => call.request as { id?: string; readMask?: { paths: string[] } });

describe("device feed: one PullPublications stream for every wanted publication", () => {
  it("opens one stream asking for metadata only, and downloads just the wanted bodies", async () => {
    const { server, feed, clock } = feedHarness();
    for (let i = 0; i < 50; i++) server.seed(pub(`p${i}`, "v1"));
    const a = watchView(feed.open("p3"));
    const b = watchView(feed.open("p7"));
    await clock.advance(0);

    expect(server.count("pullPublications")).toBe(1);
    expect(requestsOf(server, "pullPublications")[0]?.readMask?.paths).toEqual(METADATA_READ_MASK.paths);
    expect(requestsOf(server, "getPublication").map((r) => r.id).sort()).toEqual(["p3", "p7"]);
    expect(a.bodies()).toEqual(["p3 v1"]);
    expect(b.bodies()).toEqual(["p7 v1"]);
    expect(a.state()).toBe("live");
    expect(feed.stats).toMatchObject({ mode: "collection", wanted: 2, devicePublications: 50 });
    expect(server.openPublicationStreams).toBe(0);
    feed.close();
  });

  it("an update of a wanted publication downloads it once; others' updates cost nothing", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    const getsBefore = server.count("getPublication");

    server.publish(pub("b", "v2"));
    await settle();
    expect(server.count("getPublication")).toBe(getsBefore);

    server.publish(pub("a", "v2"));
    await settle();
    expect(server.count("getPublication")).toBe(getsBefore + 1);
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(server.count("pullPublications")).toBe(1);
    feed.close();
  });

  it("latest wins: changes announced while a download runs are not lost, and nothing is delivered twice", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.publish(pub("a", "v2"));
    server.publish(pub("a", "v3"));
    server.publish(pub("a", "v4"));
    await settle();
    expect(a.versions().at(-1)).toBe("v4");
    expect(new Set(a.versions()).size).toBe(a.versions().length);
    feed.close();
  });

  it("an acknowledgement (same version, new receipt) is a change, taken over without a download", async () => {
    const { server, feed, clock } = feedHarness();
    const v1 = pub("a", "v1");
    server.seed(v1);
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    const gets = server.count("getPublication");

    server.publish(acknowledged(v1, clock.now()));
    await settle();
    expect(server.count("getPublication")).toBe(gets);
    expect(a.values).toHaveLength(2);
    expect(a.values[1]?.publication.version).toBe("v1");
    expect(a.values[1]?.publication.audience?.receipt).toBe(2);
    expect(a.bodies()[1]).toBe("a v1");
    feed.close();
  });

  it("A → B → A: a version string that comes back is a new value, never compared for order", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "A", "first"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.publish(pub("a", "B", "second"));
    await settle();
    server.publish(pub("a", "A", "first"));
    await settle();
    expect(a.versions()).toEqual(["A", "B", "A"]);
    expect(a.bodies()).toEqual(["first", "second", "first"]);
    feed.close();
  });

  it("REPLACE (a merged REMOVE + ADD) is the new value; a REPLACE naming another id removes the old one", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const a = watchView(feed.open("a"));
    const b = watchView(feed.open("b"));
    await clock.advance(0);

    server.seed(pub("a", "v2"));
    server.sendChange({ type: ChangeType.REPLACE, oldValue: pub("a", "v1"), newValue: pub("a", "v2") });
    await settle();
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(a.state()).toBe("live");

    server.seed(pub("c", "v1"));
    server.sendChange({ type: ChangeType.REPLACE, oldValue: pub("b", "v1"), newValue: pub("c", "v1") });
    await settle();
    expect(b.state()).toBe("removed");
    expect(b.versions()).toEqual(["v1"]);
    feed.close();
  });

  it("a live REMOVE makes the publication removed, keeping its value; its return is delivered", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.remove("a");
    await settle();
    expect(a.state()).toBe("removed");
    expect(feed.open("a").snapshot().value?.publication.version).toBe("v1");

    server.publish(pub("a", "v2"));
    await settle();
    expect(a.state()).toBe("live");
    expect(a.versions()).toEqual(["v1", "v2"]);
    feed.close();
  });

  it("a change without an id, or a download answering for another id, is never stored nor shown", async () => {
    const { server, feed, clock, storage, logger } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    server.sendChange({ type: ChangeType.UPDATE, newValue: pub("", "bad") });
    await settle();
    expect(logger.at("warn").map((e) => e.message)).toContain("skipped a change without a publication id");

    // The stream says "a" changed, but the download answers with another publication.
    server.seed(pub("a-other", "v9"));
    const original = server.client.getPublication.bind(server.client);
    server.client.getPublication = (request, options) => original({ ...request, id: "a-other" }, options);
    server.publish(pub("a", "v2"));
    await settle();
    expect(a.versions()).toEqual(["v1"]);
    expect(a.snapshots.at(-1)?.lastError?.code).toBe("invalid-publication");
    expect((await storage.load("a")).version).toBe("v1");
    feed.close();
  });

  it("an UPDATE whose new value has another id or none is rejected for the old value's id, in either stream shape", async () => {
    for (const bodiesInStream of ["never", "always"] as const) {
      const { server, feed, clock, storage } = feedHarness({ bodiesInStream });
      server.seed(pub("a", "v1"));
      const a = watchView(feed.open("a"));
      await clock.advance(0);
      await settle();
      for (const id of ["a-other", ""]) {
        server.sendChange({ type: ChangeType.UPDATE, oldValue: pub("a", "v1"), newValue: pub(id, "bad") });
        await settle();
        expect(a.snapshots.at(-1)?.lastError?.code).toBe("invalid-publication");
      }
      expect(a.versions()).toEqual(["v1"]);
      expect((await storage.load("a")).version).toBe("v1");
      expect(a.state()).toBe("live");

      server.publish(pub("a", "v2"));
      await settle();
      expect(a.versions()).toEqual(["v1", "v2"]);
      feed.close();
    }
  });

  it("adding and dropping publications never restarts the stream", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"), pub("c", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(5_000);
    const viewB = feed.open("b");
    const b = watchView(viewB);
    await settle();
    expect(b.bodies()).toEqual(["b v1"]);
    expect(b.state()).toBe("live");
    viewB.close();
    server.publish(pub("b", "v2"));
    await settle();
    expect(b.versions()).toEqual(["v1"]);
    const c = watchView(feed.open("c"));
    await settle();
    expect(c.versions()).toEqual(["v1"]);
    expect(server.count("pullPublications")).toBe(1);
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("a publication that does not exist is removed once the snapshot settled, and delivered when created", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    const ghost = watchView(feed.open("ghost"));
    await clock.advance(2_000);
    expect(ghost.state()).toBe("removed");
    expect(ghost.values).toEqual([]);
    server.publish(pub("ghost", "v1"));
    await settle();
    expect(ghost.versions()).toEqual(["v1"]);
    expect(ghost.state()).toBe("live");
    feed.close();
  });
});
