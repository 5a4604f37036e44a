import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { acknowledged, feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";
import { FULL_VALUES_UP_TO, METADATA_ONLY_ABOVE, preferFullValues } from "./stream-shape.js";

const readMasks = (server: ReturnType<typeof feedHarness>["server"]) =>
  server.calls.filter((c) => c.method === "pullPublications").map((c) => (c.request as { readMask?: { paths: string[] } }).readMask?.paths ?? "all");

describe("device feed: bodies in the stream for a small device", () => {
  it("auto: one page of ids shows the device is small, so the first stream carries bodies; updates cost no download", async () => {
    const { server, feed, clock } = feedHarness({ bodiesInStream: "auto" });
    for (const id of ["a", "b", "c"]) server.seed(pub(id, "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(2_000);
    await clock.advance(2_000);
    expect(readMasks(server)).toEqual(["all"]);
    expect(server.openCollectionStreams).toBe(1);
    // One id was enough: the server counts the device (total_size).
    const probes = server.calls.filter((c) => c.method === "listPublications");
    expect(probes.map((c) => c.request)).toMatchObject([{ pageSize: 1, readMask: { paths: ["id"] } }]);
    const gets = server.count("getPublication");
    server.publish(pub("a", "v2"));
    server.publish(acknowledged(server.get("a")!, clock.now()));
    await settle();
    expect(server.count("getPublication")).toBe(gets);
    expect(a.versions()).toEqual(["v1", "v2", "v2"]);
    expect(a.values.at(-1)?.publication.audience?.receipt).toBe(2);
    expect(a.state()).toBe("live");
    server.remove("a");
    await settle();
    expect(a.state()).toBe("removed");
    feed.close();
  });

  it("auto: a device of more than the limit streams metadata only from the first stream", async () => {
    const { server, feed, clock } = feedHarness({ bodiesInStream: "auto" });
    for (let i = 0; i <= FULL_VALUES_UP_TO; i++) server.seed(pub(`p-${i}`, "v1"));
    const seen = watchView(feed.open("p-0"));
    await clock.advance(2_000);
    await clock.advance(2_000);
    expect(readMasks(server)).toHaveLength(1);
    expect(readMasks(server)[0]).not.toBe("all");
    expect(seen.versions()).toEqual(["v1"]);
    feed.close();
  });

  it("auto: a server that does not count (no total_size) is asked one page of ids more than the limit", async () => {
    for (const [size, bodies] of [[FULL_VALUES_UP_TO, true], [FULL_VALUES_UP_TO + 1, false]] as const) {
      const { server, feed, clock } = feedHarness({ bodiesInStream: "auto" });
      server.listCountsTotal = false;
      for (let i = 0; i < size; i++) server.seed(pub(`p-${i}`, "v1"));
      watchView(feed.open("p-0"));
      await clock.advance(2_000);
      await clock.advance(2_000);
      expect(server.calls.filter((c) => c.method === "listPublications").map((c) => (c.request as { pageSize: number }).pageSize).slice(0, 2)).toEqual([1, FULL_VALUES_UP_TO + 1]);
      expect(readMasks(server)).toHaveLength(1);
      expect(readMasks(server)[0] === "all").toBe(bodies);
      feed.close();
    }
  });

  it("auto: without ListPublications the first stream has metadata only and the settled snapshot switches it once", async () => {
    const { server, feed, clock } = feedHarness({ bodiesInStream: "auto" });
    server.failNext.set("listPublications", Code.Unimplemented);
    server.seed(pub("a", "v1"));
    const seen = watchView(feed.open("a"));
    await clock.advance(2_000);
    await clock.advance(2_000);
    await clock.advance(2_000);
    expect(readMasks(server)).toEqual([expect.any(Array), "all"]);
    expect(server.openCollectionStreams).toBe(1);
    expect(seen.versions()).toEqual(["v1"]);
    server.endStreams(14);
    await clock.advance(20_000);
    await clock.advance(2_000);
    expect(readMasks(server).at(-1)).toBe("all");
    expect(server.calls.filter((c) => c.method === "listPublications" && (c.request as { pageSize: number }).pageSize === 1)).toHaveLength(1);
    feed.close();
  });

  it("auto: a device that grows past the limit goes back to metadata only", async () => {
    const { server, feed, clock } = feedHarness({ bodiesInStream: "auto" });
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    await clock.advance(4_000);
    expect(readMasks(server).at(-1)).toBe("all");
    for (let i = 0; i <= METADATA_ONLY_ABOVE; i++) server.seed(pub(`more-${i}`, "v1"));
    server.endStreams(14);
    await clock.advance(10_000);
    await clock.advance(2_000);
    await clock.advance(2_000);
    expect(readMasks(server).at(-1)).not.toBe("all");
    feed.close();
  });

  it("always: bodies from the first stream; never: metadata only, whatever the size", async () => {
    const always = feedHarness({ bodiesInStream: "always" });
    always.server.seed(pub("a", "v1"));
    const seen = watchView(always.feed.open("a"));
    await always.clock.advance(2_000);
    expect(readMasks(always.server)).toEqual(["all"]);
    expect(always.server.count("getPublication")).toBe(0);
    expect(seen.versions()).toEqual(["v1"]);
    always.feed.close();

    const never = feedHarness({ bodiesInStream: "never" });
    never.server.seed(pub("a", "v1"));
    watchView(never.feed.open("a"));
    await never.clock.advance(4_000);
    expect(readMasks(never.server)).toHaveLength(1);
    expect(readMasks(never.server)[0]).not.toBe("all");
    never.feed.close();
  });

  it("the limits have a gap, so a device near the edge does not switch back and forth", () => {
    expect(preferFullValues(FULL_VALUES_UP_TO, false)).toBe(true);
    expect(preferFullValues(FULL_VALUES_UP_TO + 1, false)).toBe(false);
    expect(preferFullValues(METADATA_ONLY_ABOVE, true)).toBe(true);
    expect(preferFullValues(METADATA_ONLY_ABOVE + 1, true)).toBe(false);
  });
});
