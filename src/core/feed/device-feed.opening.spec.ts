import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

const body = (id: string, bytes: number) => `${id} `.padEnd(bytes, "x");
const padded = (i: number) => `p${String(i).padStart(3, "0")}`;

/** A streaming server holding a device of `size` publications of 2 kB, the feed deciding the stream's shape itself. */
function largeDevice(size = 500) {
  const harness = feedHarness({ bodiesInStream: "auto" });
  for (let i = 0; i < size; i++) harness.server.seed(pub(padded(i), "v1", body(padded(i), 2_000)));
  return harness;
}

/** The PullPublications requests the server saw. */
function pulls(server: ReturnType<typeof feedHarness>["server"]) {
  return server.calls.filter((c) => c.method === "pullPublications").map((c) => c.request as { updatesOnly: boolean });
}

describe("device feed: a connect costs what the screen wants", () => {
  it("a large device: the stream asks for changes only, and each wanted publication is read once — 10 bodies, no snapshot of 500", async () => {
    const { server, feed, clock } = largeDevice();
    const wanted = Array.from({ length: 10 }, (_, i) => padded(i * 50));
    const views = wanted.map((id) => watchView(feed.open(id)));
    await clock.advance(0);
    await clock.advance(1_000);
    expect(pulls(server)).toEqual([expect.objectContaining({ updatesOnly: true })]);
    expect(server.count("getPublication")).toBe(10);
    expect(server.streamBytes).toBe(0);
    const tenBodies = wanted.reduce((sum, id) => sum + server.get(id)!.body.length, 0);
    // The size probe's ids, and ten values.
    expect(server.bytesSent).toBeLessThanOrEqual(tenBodies * 1.1);
    expect(views.map((v) => v.state())).toEqual(wanted.map(() => "live"));

    // Changes come on the stream: one of the screen's is downloaded, others cost a metadata record each.
    server.publish(pub(wanted[2]!, "v2", body("new", 2_000)));
    server.publish(pub(padded(1), "v2"));
    await settle();
    expect(views[2]?.versions()).toEqual(["v1", "v2"]);
    expect(server.count("getPublication")).toBe(11);
    feed.close();
  });

  it("the window between the stream and the reads: a change before the reads, during one, and after — none is lost, none shown out of order", async () => {
    const { server, feed, clock } = largeDevice(100);
    const a = watchView(feed.open("p001"));
    const b = watchView(feed.open("p002"));
    const c = watchView(feed.open("p003"));
    await clock.advance(0);
    // The stream is asked for; the reads wait until it is open.
    expect(pulls(server)).toHaveLength(1);
    expect(server.count("getPublication")).toBe(0);
    // p002's first read will hold its answer (v1) until the change to v2 has landed.
    let release: () => void = () => undefined;
    let held = false;
    server.beforeGetAnswers = (id) => {
      if (id !== "p002" || held) return Promise.resolve();
      held = true;
      return new Promise((resolve) => (release = resolve));
    };
    // A change arrives on the stream before any read: the stream is open, the reads start.
    server.publish(pub("p001", "v2"));
    await settle();
    expect(server.count("getPublication")).toBeGreaterThan(0);
    expect(held).toBe(true);
    server.publish(pub("p002", "v2"));
    await settle();
    release();
    await settle();
    server.beforeGetAnswers = undefined;
    await settle();

    // After the reads: a change comes on the stream.
    server.publish(pub("p003", "v2"));
    await settle();
    expect(a.versions()).toEqual(["v2"]);
    expect(b.versions()).toEqual(["v2"]);
    expect(c.versions()).toEqual(["v1", "v2"]);
    expect([a, b, c].map((v) => v.state())).toEqual(["live", "live", "live"]);
    expect(pulls(server)).toHaveLength(1);
    feed.close();
  });

  it("after an outage: what changed or went meanwhile is read, the rest confirmed, with changes only on the new stream", async () => {
    const { server, feed, clock } = largeDevice(100);
    const a = watchView(feed.open("p010"));
    const b = watchView(feed.open("p020"));
    await clock.advance(1_000);
    server.endStreams(Code.Unavailable);
    server.seed(pub("p010", "v2"));
    server.remove("p020", { silently: true });
    await clock.advance(10_000);
    await clock.advance(1_000);
    expect(pulls(server).map((p) => p.updatesOnly)).toEqual([true, true]);
    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(b.state()).toBe("removed");
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("a fleet view, which wants the whole device, gets the snapshot: the stream is opened again with it", async () => {
    const { server, feed, clock } = largeDevice(100);
    watchView(feed.open("p001"));
    await clock.advance(1_000);
    const seen: number[] = [];
    const stop = feed.watchDevice((publications) => seen.push(publications.length));
    await clock.advance(0);
    await clock.advance(1_000);
    expect(pulls(server).map((p) => p.updatesOnly)).toEqual([true, false]);
    expect(seen.at(-1)).toBe(100);
    stop();
    feed.close();
  });

  it("a small device keeps the snapshot with bodies (one message per publication, no read)", async () => {
    const harness = feedHarness({ bodiesInStream: "auto" });
    for (let i = 0; i < 5; i++) harness.server.seed(pub(padded(i), "v1"));
    watchView(harness.feed.open("p001"));
    await harness.clock.advance(1_000);
    expect(pulls(harness.server).map((p) => p.updatesOnly)).toEqual([false]);
    expect(harness.server.count("getPublication")).toBe(0);
    harness.feed.close();
  });
});
