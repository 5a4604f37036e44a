import { afterEach, describe, expect, it } from "vitest";
import { Publication_Audience_Receipt } from "../../gen/smartcore/traits/publication_pb.js";
import { systemClock } from "../../platform/system-clock.js";
import { systemRandom } from "../../platform/system-random.js";
import type { PublicationServerOptions } from "../../server/publication-server.js";
import { eventually, publicationClient, startTestServer, text, utf8, type TestServer } from "../../server/testing/test-server.js";
import { createMemoryStorage } from "../../storage/memory/memory-storage.js";
import type { CachedValue } from "../cache-types.js";
import { createDeviceFeed, type DeviceFeed } from "./device-feed.js";

// Real time against the real development server over HTTP/1.1.
const DEVICE = "building-1";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Partial<PublicationServerOptions> = {}): Promise<{ current: TestServer }> {
  const holder = { current: await startTestServer(options) };
  cleanups.push(() => holder.current.stop());
  return holder;
}

function feedOn(test: { current: TestServer }, bodiesInStream: "auto" | "never" = "never", storage = createMemoryStorage()): DeviceFeed {
  const feed = createDeviceFeed({
    bodiesInStream,
    client: publicationClient(test.current.url),
    device: DEVICE,
    storage,
    clock: systemClock,
    random: systemRandom,
    backoff: { minMs: 50, maxMs: 200, jitter: "none" },
    pollIntervalMs: 300,
    timing: { settleMs: 100, openTimeoutMs: 2_000, reprobeMs: 60_000 },
  });
  cleanups.push(() => feed.close());
  return feed;
}

async function publish(test: TestServer, id: string, body: string): Promise<string> {
  const client = test.client;
  try {
    return (await client.createPublication({ name: DEVICE, publication: { id, body: utf8(body), mediaType: "text/plain" } })).version;
  } catch {
    return (await client.updatePublication({ name: DEVICE, publication: { id, body: utf8(body), mediaType: "text/plain" } })).version;
  }
}

function follow(feed: DeviceFeed, id: string) {
  const values: CachedValue[] = [];
  const view = feed.open(id);
  view.subscribe((value) => values.push(value));
  return { view, values, body: () => (values.at(-1) ? text(values.at(-1)!.publication.body) : undefined) };
}

describe("device feed against the development server", () => {
  it("12 publications over one PullPublications stream; every update arrives", async () => {
    const test = await server();
    for (let i = 0; i < 12; i++) await publish(test.current, `zone-${i}`, `notice ${i}`);
    await publish(test.current, "unwanted", "x");
    const feed = feedOn(test);
    const followed = Array.from({ length: 12 }, (_, i) => follow(feed, `zone-${i}`));
    await eventually(() => followed.every((f) => f.view.snapshot().state.kind === "live" && f.values.length === 1));
    expect(test.current.server.stats().openStreams).toEqual({ PullPublication: 0, PullPublications: 1 });

    await publish(test.current, "zone-5", "updated 5");
    await eventually(() => followed[5]?.body() === "updated 5");
    expect(followed[4]?.values).toHaveLength(1);
    expect(test.current.server.stats().calls.GetPublication).toBe(13);
  });

  it("an acknowledgement reaches the held value without a download", async () => {
    const test = await server();
    const created = await test.current.client.createPublication({
      name: DEVICE,
      publication: { id: "cfg", body: utf8("{}"), mediaType: "application/json", audience: { name: "screen-1" } },
    });
    const feed = feedOn(test);
    const cfg = follow(feed, "cfg");
    await eventually(() => cfg.values.length === 1);
    const gets = test.current.server.stats().calls.GetPublication;
    await test.current.client.acknowledgePublication({
      name: DEVICE,
      id: "cfg",
      version: created.version,
      receipt: Publication_Audience_Receipt.ACCEPTED,
      allowAcknowledged: true,
    });
    await eventually(() => cfg.values.at(-1)?.publication.audience?.receipt === Publication_Audience_Receipt.ACCEPTED);
    expect(cfg.values.at(-1)?.publication.version).toBe(created.version);
    expect(test.current.server.stats().calls.GetPublication).toBe(gets);
  });

  it("a publication deleted while the server was down is removed once it is back, keeping its value", async () => {
    const test = await server();
    await publish(test.current, "a", "alpha");
    await publish(test.current, "b", "beta");
    const feed = feedOn(test);
    const a = follow(feed, "a");
    const b = follow(feed, "b");
    await eventually(() => a.values.length === 1 && b.values.length === 1);
    const port = test.current.server.port;
    await test.current.server.close();
    await eventually(() => a.view.snapshot().state.kind === "retrying");
    // Delete b in the data directory while nobody serves it: a server on it, briefly, on another port.
    const offline = await startTestServer({ dataDir: test.current.dataDir });
    await offline.client.deletePublication({ name: DEVICE, id: "b" });
    await offline.server.close();
    test.current = await startTestServer({ dataDir: test.current.dataDir, port });
    await eventually(() => b.view.snapshot().state.kind === "removed", 10_000);
    expect(b.body()).toBe("beta");
    await eventually(() => a.view.snapshot().state.kind === "live");
  });

  it("a small device gets its bodies in the stream (auto): updates cost no download", async () => {
    const test = await server();
    for (const id of ["a", "b", "c"]) await publish(test.current, id, `${id} 1`);
    const feed = feedOn(test, "auto");
    const followed = ["a", "b", "c"].map((id) => follow(feed, id));
    await eventually(() => followed.every((f) => f.values.length === 1 && f.view.snapshot().state.kind === "live"), 10_000);
    // One page of ids showed the device is small: the one stream carries bodies from the start.
    expect(test.current.server.stats().calls.PullPublications).toBe(1);
    expect(test.current.server.stats().calls.ListPublications).toBe(1);
    const gets = test.current.server.stats().calls.GetPublication;
    for (const id of ["a", "b", "c"]) await publish(test.current, id, `${id} 2`);
    await eventually(() => followed.every((f) => f.body()?.endsWith(" 2")));
    expect(test.current.server.stats().calls.GetPublication).toBe(gets);
    expect(test.current.server.stats().openStreams).toEqual({ PullPublication: 0, PullPublications: 1 });
    expect(followed.every((f) => f.values.length === 2)).toBe(true);
  });

  const fallbacks: Array<[string, Partial<PublicationServerOptions>, string, { PullPublication: number; PullPublications: number }]> = [
    ["PullPublications off (--no-pull-all): one PullPublication per publication", { pullAll: false }, "per-publication", { PullPublication: 3, PullPublications: 0 }],
    ["both pulls off (--no-pull): polling the device", { pull: false }, "polling", { PullPublication: 0, PullPublications: 0 }],
    ["the database-backed server (--db-like): polling the device", { dbLike: true }, "polling", { PullPublication: 0, PullPublications: 0 }],
  ];
  it.each(fallbacks)("%s keeps every publication fresh", async (_name, options, mode, streams) => {
    const test = await server(options);
    for (const id of ["a", "b", "c"]) await publish(test.current, id, `${id} 1`);
    const feed = feedOn(test);
    const followed = ["a", "b", "c"].map((id) => follow(feed, id));
    await eventually(() => followed.every((f) => f.values.length === 1), 10_000);
    expect(feed.stats.mode).toBe(mode);
    await eventually(() => JSON.stringify(test.current.server.stats().openStreams) === JSON.stringify(streams), 10_000);
    for (const id of ["a", "b", "c"]) await publish(test.current, id, `${id} 2`);
    await eventually(() => followed.every((f) => f.body()?.endsWith(" 2")), 10_000);
    expect(followed.map((f) => f.view.snapshot().state.kind)).toEqual(Array(3).fill(mode === "polling" ? "polling" : "live"));
  });
});
