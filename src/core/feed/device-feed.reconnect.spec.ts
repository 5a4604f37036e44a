import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

describe("device feed: reconnecting, reconciling and checking the stream", () => {
  it("shows the stored value first, and downloads nothing when the server still has that version", async () => {
    const { server, feed, clock, storage } = feedHarness();
    await storage.store(pub("a", "v1", "from storage"));
    server.seed(pub("a", "v1", "from storage"));
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    expect(a.values[0]?.source).toBe("storage");
    expect(a.values).toHaveLength(1);
    expect(server.count("getPublication")).toBe(0);
    expect(a.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(clock.now());
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("after an outage, catches up what changed and finds what was deleted meanwhile (one listing of ids)", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"), pub("b", "v1"), pub("c", "v1"));
    const a = watchView(feed.open("a"));
    const b = watchView(feed.open("b"));
    const c = watchView(feed.open("c"));
    await clock.advance(2_000);
    expect(server.count("listPublications")).toBe(0);

    server.failures.set("pullPublications", Code.Unavailable);
    server.endStreams(Code.Unavailable);
    await settle();
    expect(a.state()).toBe("retrying");
    // While the server is away: a changes, b is deleted, c stays.
    server.seed(pub("a", "v2"));
    server.remove("b", { silently: true });
    server.failures.delete("pullPublications");
    await clock.advance(10_000);
    await clock.advance(2_000);

    expect(a.versions()).toEqual(["v1", "v2"]);
    expect(b.state()).toBe("removed");
    expect(b.versions()).toEqual(["v1"]);
    expect(c.versions()).toEqual(["v1"]);
    expect(c.state()).toBe("live");
    expect(server.count("listPublications")).toBe(1);
    feed.close();
  });

  it("checks a quiet stream once per device (one listing), confirming every value", async () => {
    const { server, feed, clock } = feedHarness();
    for (const id of ["a", "b", "c", "d"]) server.seed(pub(id, "v1"));
    const start = clock.now();
    const views = ["a", "b", "c", "d"].map((id) => watchView(feed.open(id)));
    await clock.advance(2_000);
    const before = server.count("listPublications");
    await clock.advance(60_000);
    expect(server.count("listPublications")).toBe(before + 1);
    expect(server.count("getPublication")).toBe(4);
    // Quiet since the opening changes at the start: checked a poll interval later.
    for (const view of views) expect(view.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(start + 60_000);
    feed.close();
  });

  it("a stream that went silent and missed a change is found by the check and reconnected", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(2_000);
    server.silenceStreams();
    server.publish(pub("a", "v2"));
    await clock.advance(60_000);
    await clock.advance(2_000);
    expect(server.count("pullPublications")).toBe(2);
    expect(a.versions()).toEqual(["v1", "v2"]);
    feed.close();
  });

  it("wake() checks a quiet stream at once", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    await clock.advance(2_000);
    const before = server.count("listPublications");
    feed.wake();
    await settle();
    expect(server.count("listPublications")).toBe(before + 1);
    feed.close();
  });

  it("a stream that sends nothing while the server holds publications is reported stalled, then retried", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    server.stallNewCollectionStreams = true;
    const a = watchView(feed.open("a"));
    await clock.advance(14_000);
    expect(a.state()).toBe("connecting");
    await clock.advance(1_000);
    const state = a.snapshots.at(-1)?.state;
    expect(state).toMatchObject({ kind: "retrying", lastError: { code: "stream-stalled" } });
    server.stallNewCollectionStreams = false;
    await clock.advance(10_000);
    expect(a.versions()).toEqual(["v1"]);
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("a device with no publication is not a stalled stream: wanted ones are removed, and arrive when created", async () => {
    const { server, feed, clock } = feedHarness();
    const a = watchView(feed.open("a"));
    await clock.advance(15_000);
    expect(a.state()).toBe("removed");
    server.publish(pub("a", "v1"));
    await settle();
    expect(a.versions()).toEqual(["v1"]);
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("backs off from the minimum, doubling, and resets once an attempt delivered", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unavailable);
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    const times = () => server.calls.filter((c) => c.method === "pullPublications").map((c) => c.at - server.calls[0]!.at);
    await clock.advance(10_000 + 20_000 + 40_000);
    expect(times()).toEqual([0, 10_000, 30_000, 70_000]);
    expect(a.snapshots.at(-1)?.state).toMatchObject({ kind: "retrying", lastError: { code: "unavailable" } });
    server.failures.delete("pullPublications");
    server.seed(pub("a", "v1"));
    await clock.advance(80_000);
    expect(a.state()).toBe("live");
    server.endStreams(Code.Unavailable);
    await settle();
    expect(a.snapshots.at(-1)?.state).toMatchObject({ kind: "retrying", nextAttemptAt: clock.now() + 10_000 });
    feed.close();
  });

  it("a publication wanted while the feed waits (for credentials, or to retry) shows that wait at once", async () => {
    const { server, feed, clock } = feedHarness();
    server.failures.set("pullPublications", Code.Unauthenticated);
    watchView(feed.open("a"));
    await clock.advance(0);
    const later = watchView(feed.open("b"));
    await settle();
    expect(later.snapshots.at(-1)?.state).toMatchObject({ kind: "needs-auth", lastError: { code: "unauthenticated" } });
    server.failures.set("pullPublications", Code.Unavailable);
    feed.credentialsChanged();
    await settle();
    const third = watchView(feed.open("c"));
    await settle();
    expect(third.snapshots.at(-1)?.state).toMatchObject({ kind: "retrying", lastError: { code: "unavailable" } });
    feed.close();
  });

  it("credentials that arrive while a call is refused are tried at once, and needs-auth never shows", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    server.failNext.set("pullPublications", Code.Unauthenticated);
    const a = watchView(feed.open("a"));
    // The page hands over its token while the first call (without one) is on its way.
    feed.credentialsChanged();
    await clock.advance(0);
    expect(server.count("pullPublications")).toBe(2);
    expect(a.snapshots.map((s) => s.state.kind)).not.toContain("needs-auth");
    expect(a.state()).toBe("live");
    feed.close();
  });

  it("by default a refused screen waits 5 min between tries, a failing one at most 30 s (±75 %)", async () => {
    const { server, feed, clock } = feedHarness({ backoff: { jitter: "none" } });
    server.failures.set("pullPublications", Code.Unauthenticated);
    watchView(feed.open("a"));
    await clock.advance(0);
    await clock.advance(299_000);
    expect(server.count("pullPublications")).toBe(1);
    await clock.advance(1_000);
    expect(server.count("pullPublications")).toBe(2);
    server.failures.set("pullPublications", Code.Unavailable);
    await clock.advance(300_000);
    const times = server.calls.filter((c) => c.method === "pullPublications").map((c) => c.at);
    const gaps = times.slice(3).map((t, i) => t - times[i + 2]!);
    expect(gaps.every((gap) => gap <= 30_000)).toBe(true);
    feed.close();
  });

  it("refused credentials: needs-auth until credentialsChanged(), then at once", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("a", "v1"));
    server.failures.set("pullPublications", Code.Unauthenticated);
    const a = watchView(feed.open("a"));
    await clock.advance(0);
    expect(a.snapshots.at(-1)?.state).toMatchObject({ kind: "needs-auth", lastError: { code: "unauthenticated" } });
    const calls = server.count("pullPublications");
    await clock.advance(60_000);
    expect(server.count("pullPublications")).toBe(calls);
    server.failures.delete("pullPublications");
    feed.credentialsChanged();
    await settle();
    expect(a.state()).toBe("live");
    feed.close();
  });
});

describe("device feed: what a stream vouched for when it ends", () => {
  it("a value the stream never mentioned again is confirmed at the stream's last message, not when it arrived", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("quiet", "v1"), pub("busy", "v1"));
    const quiet = watchView(feed.open("quiet"));
    const busy = watchView(feed.open("busy"));
    await clock.advance(2_000);
    const arrived = quiet.snapshots.at(-1)?.value?.lastConfirmedAt;
    await clock.advance(30_000);
    server.publish(pub("busy", "v2"));
    await settle();
    const lastMessageAt = clock.now();
    await clock.advance(5_000);
    server.failures.set("pullPublications", Code.Unavailable);
    server.endStreams(Code.Unavailable);
    await settle();

    expect(quiet.state()).toBe("retrying");
    expect(arrived).toBeLessThan(lastMessageAt);
    // "Confirmed at" is never earlier than the newest thing the same stream delivered.
    expect(quiet.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(lastMessageAt);
    expect(busy.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(lastMessageAt);
    feed.close();
  });

  it("the same when the stream ends before its opening snapshot settled (a change came within settleMs of it)", async () => {
    const { server, feed, clock } = feedHarness();
    server.seed(pub("quiet", "v1"), pub("busy", "v1"));
    const quiet = watchView(feed.open("quiet"));
    const busy = watchView(feed.open("busy"));
    await clock.advance(900);
    const arrived = quiet.snapshots.at(-1)?.value;
    expect(arrived?.publication.version).toBe("v1");
    // Still inside the snapshot's quiet wait (settleMs, 1 s): a change arrives, then the server dies.
    server.publish(pub("busy", "v2"));
    await settle();
    const lastMessageAt = clock.now();
    await clock.advance(300);
    server.failures.set("pullPublications", Code.Unavailable);
    server.endStreams(Code.Unavailable);
    await settle();

    expect(quiet.state()).toBe("retrying");
    expect(arrived?.lastConfirmedAt).toBeLessThan(lastMessageAt);
    // Both were announced by that stream, which told every change after until its last message.
    expect(quiet.snapshots.at(-1)?.value?.lastConfirmedAt).toBe(lastMessageAt);
    expect(busy.snapshots.at(-1)?.value).toMatchObject({ publication: { version: "v2" }, lastConfirmedAt: lastMessageAt });
    feed.close();
  });
});
