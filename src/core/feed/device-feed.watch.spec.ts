import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { acknowledged, feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

const summary = (publications: readonly Publication[]) =>
  publications.map((p) => `${p.id}@${p.version}${p.audience?.receipt ? `:${p.audience.receipt}` : ""}${p.body.length ? "+body" : ""}`);

describe("device feed: watching the whole device (a fleet view)", () => {
  it("delivers every publication's metadata, keeps the stream with nothing open, follows changes and acknowledgements", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const seen: string[][] = [];
    const stop = feed.watchDevice((publications) => seen.push(summary(publications)));
    await clock.advance(0);
    expect(server.openCollectionStreams).toBe(1);
    expect(seen.at(-1)).toEqual(["a@v1", "b@v1"]);
    expect(server.count("getPublication")).toBe(0);

    server.publish(acknowledged(server.get("a")!, clock.now()));
    server.publish(pub("c", "v1"));
    server.remove("b");
    await settle();
    expect(seen.at(-1)).toEqual(["a@v1:2", "c@v1"]);

    stop();
    await settle();
    expect(server.openCollectionStreams).toBe(0);
    feed.close();
  });

  it("watching and a wanted publication share the one stream; stopping one keeps the other", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    const seen: string[][] = [];
    const stop = feed.watchDevice((publications) => seen.push(summary(publications)));
    await clock.advance(0);
    expect(server.count("pullPublications")).toBe(1);
    stop();
    server.publish(pub("a", "v2"));
    await settle();
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(server.openCollectionStreams).toBe(1);
    feed.close();
  });

  it("on a server that only polls, the listing feeds the watchers every poll interval", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.failures.set("pullPublication", Code.Unimplemented);
    server.seed(pub("a", "v1"));
    const seen: string[][] = [];
    feed.watchDevice((publications) => seen.push(summary(publications)));
    await clock.advance(0);
    expect(seen.at(-1)).toEqual(["a@v1"]);
    server.seed(acknowledged(server.get("a")!, clock.now()));
    await clock.advance(60_000);
    expect(seen.at(-1)).toEqual(["a@v1:2"]);
    feed.close();
  });

  it("with a stream per publication, the device is listed once per poll interval while watched", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unimplemented);
    server.seed(pub("a", "v1"), pub("b", "v1"));
    watchView(feed.open("a"));
    const seen: string[][] = [];
    feed.watchDevice((publications) => seen.push(summary(publications)));
    await clock.advance(0);
    expect(feed.stats.mode).toBe("per-publication");
    expect(seen.at(-1)).toEqual(["a@v1", "b@v1"]);
    server.seed(pub("b", "v2"));
    await clock.advance(60_000);
    expect(seen.at(-1)).toEqual(["a@v1", "b@v2"]);
    feed.close();
  });
});
