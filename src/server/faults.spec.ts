import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PullPublicationResponse, PullPublicationsResponse } from "../gen/smartcore/traits/publication_pb.js";
import { eventually, manualClock, startTestServer, utf8, type TestServer } from "./testing/test-server.js";

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({ faults: true });
});
afterEach(() => t.stop());

const post = (path: string) => fetch(t.url + path, { method: "POST" });

/** Reads a stream to its end: resolves to the messages and how it ended. */
async function drain<T>(stream: AsyncIterable<T>, onMessage: (m: T) => void = () => {}): Promise<Code | "ok"> {
  try {
    for await (const message of stream) onMessage(message);
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("fault endpoints", () => {
  it("are absent (404) unless faults are enabled", async () => {
    const plain = await startTestServer();
    try {
      expect((await fetch(`${plain.url}/faults/end-streams`, { method: "POST" })).status).toBe(404);
      expect((await fetch(`${plain.url}/faults/reset`, { method: "POST" })).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it("end-streams ends every open stream with the given error code", async () => {
    await t.client.createPublication({ publication: { id: "a" } });
    const ended = [drain(t.client.pullPublication({ id: "a" })), drain(t.client.pullPublications({}))];
    await eventually(() => t.server.stats().openStreams.PullPublications === 1 && t.server.stats().openStreams.PullPublication === 1);
    const res = await post("/faults/end-streams?outcome=error&code=unavailable");
    expect(await res.json()).toEqual({ ended: 2 });
    expect(await Promise.all(ended)).toEqual([Code.Unavailable, Code.Unavailable]);

    const another = drain(t.client.pullPublication({ id: "a" }));
    await eventually(() => t.server.stats().openStreams.PullPublication === 1);
    await post("/faults/end-streams?code=internal");
    expect(await another).toBe(Code.Internal);
  });

  it("end-streams?outcome=ok ends them cleanly, and new streams still work", async () => {
    await t.client.createPublication({ publication: { id: "a" } });
    const ended = drain(t.client.pullPublication({ id: "a" }));
    await eventually(() => t.server.stats().openStreams.PullPublication === 1);
    await post("/faults/end-streams?outcome=ok");
    expect(await ended).toBe("ok");
    for await (const r of t.client.pullPublication({ id: "a" })) {
      expect(r.changes[0]!.publication!.id).toBe("a");
      break;
    }
  });

  it("hold-calls holds new calls until the window ends (a client deadline fires first), reset releases", async () => {
    await t.client.createPublication({ publication: { id: "a" } });
    expect(await (await post("/faults/hold-calls?ms=60000")).json()).toEqual({ holdMs: 60000 });
    const held = t.client.getPublication({ id: "a" }, { timeoutMs: 200 });
    await expect(held).rejects.toMatchObject({ code: Code.DeadlineExceeded });
    await post("/faults/reset");
    expect((await t.client.getPublication({ id: "a" }, { timeoutMs: 5000 })).id).toBe("a");
  });

  it("invalid-next-pull makes the next PullPublication response carry an empty or a different id, once", async () => {
    await t.client.createPublication({ publication: { id: "a", body: utf8("1") } });
    await post("/faults/invalid-next-pull?kind=empty-id");
    const abort = new AbortController();
    const seen: PullPublicationResponse[] = [];
    const stream = drain(t.client.pullPublication({ id: "a" }, { signal: abort.signal }), (m) => seen.push(m));
    await eventually(() => seen.length === 1);
    expect(seen[0]!.changes[0]!.publication!.id).toBe("");

    await post("/faults/invalid-next-pull?kind=other-id");
    await t.client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    await eventually(() => seen.length === 2);
    expect(seen[1]!.changes[0]!.publication!.id).toBe("a-other");

    await t.client.updatePublication({ publication: { id: "a", body: utf8("3") } });
    await eventually(() => seen.length === 3);
    expect(seen[2]!.changes[0]!.publication!.id).toBe("a");
    abort.abort();
    await stream;
  });

  it("invalid-next-pull also tampers the next PullPublications change's new value (its old value keeps the real id), once", async () => {
    await t.client.createPublication({ publication: { id: "a", body: utf8("1") } });
    const abort = new AbortController();
    const seen: PullPublicationsResponse[] = [];
    const stream = drain(t.client.pullPublications({ name: "" }, { signal: abort.signal }), (m) => seen.push(m));
    await eventually(() => seen.length === 1);

    await post("/faults/invalid-next-pull?kind=other-id");
    await t.client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    await eventually(() => seen.length === 2);
    expect(seen[1]!.changes[0]!.newValue!.id).toBe("a-other");
    expect(seen[1]!.changes[0]!.oldValue!.id).toBe("a");

    await t.client.updatePublication({ publication: { id: "a", body: utf8("3") } });
    await eventually(() => seen.length === 3);
    expect(seen[2]!.changes[0]!.newValue!.id).toBe("a");
    abort.abort();
    await stream;
  });

  it("invalid-next-get makes the next whole-value GetPublication answer another id, once; masked reads are untouched", async () => {
    await t.client.createPublication({ publication: { id: "a", body: utf8("1") } });
    await post("/faults/invalid-next-get?kind=other-id");
    expect((await t.client.getPublication({ id: "a", readMask: { paths: ["id", "version"] } })).id).toBe("a");
    expect((await t.client.getPublication({ id: "a" })).id).toBe("a-other");
    expect((await t.client.getPublication({ id: "a" })).id).toBe("a");
    await post("/faults/invalid-next-get?kind=empty-id");
    expect((await t.client.getPublication({ id: "a" })).id).toBe("");
    expect((await post("/faults/invalid-next-get?kind=weird")).status).toBe(400);
  });

  it("refuse-connections closes new connections for the given time, then serves again", async () => {
    const clock = manualClock();
    const refusing = await startTestServer({ faults: true, clock });
    try {
      const res = await fetch(`${refusing.url}/faults/refuse-connections?seconds=30`, { method: "POST" });
      expect(await res.json()).toEqual({ refuseSeconds: 30 });
      await expect(fetch(`${refusing.url}/healthz`, { headers: { connection: "close" } })).rejects.toThrow();
      await expect(refusing.client.getPublication({ id: "a" })).rejects.toBeInstanceOf(ConnectError);
      expect(refusing.server.stats().calls.GetPublication).toBe(0);

      clock.advance(30_000);
      expect((await fetch(`${refusing.url}/healthz`)).status).toBe(200);
      await expect(refusing.client.getPublication({ id: "a" })).rejects.toMatchObject({ code: Code.NotFound });
    } finally {
      await refusing.stop();
    }
  });

  it("answers 400 to bad parameters and 405 to GET", async () => {
    expect((await post("/faults/hold-calls?ms=soon")).status).toBe(400);
    expect((await post("/faults/invalid-next-pull?kind=weird")).status).toBe(400);
    expect((await post("/faults/end-streams?outcome=maybe")).status).toBe(400);
    expect((await post("/faults/end-streams?code=nonsense")).status).toBe(400);
    expect((await post("/faults/refuse-connections")).status).toBe(400);
    expect((await fetch(`${t.url}/faults/reset`)).status).toBe(405);
    expect((await post("/faults/unknown")).status).toBe(404);
  });
});
