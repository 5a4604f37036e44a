import { describe, expect, it } from "vitest";
import type { CacheSnapshot } from "../cache-types.js";
import { feedHarness, pub, settle } from "../testing/feed-harness.js";

describe("device feed: claims (the host's way in)", () => {
  it("wanted ids share one stream and one listener; wanting twice is one claim; unwanting stops hearing of it", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    server.seed(pub("b", "v1"));
    const heard: Array<[string, CacheSnapshot]> = [];
    feed.listen((id, snapshot) => heard.push([id, snapshot]));
    feed.want("a");
    feed.want("a");
    feed.want("b");
    await clock.advance(2_000);
    expect(server.count("pullPublications")).toBe(1);
    expect(feed.stats.wanted).toBe(2);
    const latest = (id: string) => heard.filter(([heardId]) => heardId === id).at(-1)?.[1];
    expect(latest("a")?.value?.publication.version).toBe("v1");
    expect(latest("b")?.value?.publication.version).toBe("v1");

    feed.unwant("a");
    const before = heard.length;
    server.publish(pub("a", "v2"));
    await clock.advance(2_000);
    expect(heard.slice(before).map(([id]) => id)).not.toContain("a");
    expect(feed.stats.wanted).toBe(1);
    // The last claim gone, the connection goes too.
    feed.unwant("b");
    await settle();
    expect(server.openCollectionStreams).toBe(0);
    feed.close();
  });

  it("a claim and a view of the same id share one held value; closing the feed says nothing to the listener", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const heard: string[] = [];
    feed.listen((id, snapshot) => heard.push(`${id} ${snapshot.state.kind}`));
    feed.want("a");
    const view = feed.open("a");
    await clock.advance(2_000);
    expect(view.snapshot().value?.publication.version).toBe("v1");
    expect(feed.stats.wanted).toBe(1);
    feed.close();
    expect(heard.filter((h) => h.endsWith("closed"))).toEqual([]);
    expect(() => feed.want("")).toThrow(RangeError);
  });
});
