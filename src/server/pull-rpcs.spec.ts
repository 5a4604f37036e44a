import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Publication_Audience_Receipt as Receipt,
  type PullPublicationResponse,
  type PullPublicationsResponse,
} from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import { eventually, manualClock, startTestServer, text, utf8, type PublicationClient, statusOf, type TestServer } from "./testing/test-server.js";

const mask = (...paths: string[]) => create(FieldMaskSchema, { paths });

/** Reads a stream in the background; `next()` waits for the next message, `ended` settles with the stream. */
function reader<T>(stream: AsyncIterable<T>) {
  const received: T[] = [];
  let taken = 0;
  const ended = (async () => {
    for await (const message of stream) received.push(message);
  })();
  ended.catch(() => {}); // observed by the tests that expect a failure
  return {
    ended,
    received,
    async next(): Promise<T> {
      await eventually(() => received.length > taken);
      return received[taken++]!;
    },
  };
}

let t: TestServer;
let client: PublicationClient;
let abort: AbortController;
const clock = manualClock();

beforeEach(async () => {
  t = await startTestServer({ clock });
  client = t.client;
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await t.stop();
});

/** Waits until the server has `n` PullPublication streams open (it is then subscribed). */
const streamsOpen = (method: "PullPublication" | "PullPublications", n: number) =>
  eventually(() => t.server.stats().openStreams[method] === n);

describe("PullPublication", () => {
  it("sends the current value first, then one change per update, named after the device asked for", async () => {
    clock.set(5_000_000);
    const created = await client.createPublication({ publication: { id: "a", body: utf8("1") } });
    const pull = reader<PullPublicationResponse>(client.pullPublication({ name: "bms-1", id: "a" }, { signal: abort.signal }));

    const first = await pull.next();
    expect(first.changes).toHaveLength(1);
    expect(first.changes[0]).toMatchObject({ name: "bms-1", publication: { id: "a", version: created.version } });
    expect(timestampMs(first.changes[0]!.changeTime!)).toBe(5_000_000);

    clock.advance(1_000);
    const updated = await client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    const second = await pull.next();
    expect(second.changes[0]!.publication!.version).toBe(updated.version);
    expect(text(second.changes[0]!.publication!.body)).toBe("2");
    expect(timestampMs(second.changes[0]!.changeTime!)).toBe(5_001_000);
  });

  it("with updates_only skips the current value", async () => {
    await client.createPublication({ publication: { id: "a", body: utf8("1") } });
    const pull = reader<PullPublicationResponse>(client.pullPublication({ id: "a", updatesOnly: true }, { signal: abort.signal }));
    await streamsOpen("PullPublication", 1);
    await client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    expect(text((await pull.next()).changes[0]!.publication!.body)).toBe("2");
  });

  it("on a missing id stays open and silent, then sends the publication once it is created", async () => {
    const pull = reader<PullPublicationResponse>(client.pullPublication({ id: "later" }, { signal: abort.signal }));
    await streamsOpen("PullPublication", 1);
    // Other traffic meanwhile; had the server answered NOT_FOUND the stream would have ended by now.
    await client.createPublication({ publication: { id: "other" } });
    expect(pull.received).toHaveLength(0);
    expect(t.server.stats().openStreams.PullPublication).toBe(1);

    const created = await client.createPublication({ publication: { id: "later", body: utf8("here") } });
    expect((await pull.next()).changes[0]!.publication!.version).toBe(created.version);
  });

  it("ends with status OK when the publication is deleted", async () => {
    await client.createPublication({ publication: { id: "a" } });
    const pull = reader<PullPublicationResponse>(client.pullPublication({ id: "a" }, { signal: abort.signal }));
    await pull.next();
    await client.deletePublication({ id: "a" });
    await expect(pull.ended).resolves.toBeUndefined();
    expect(pull.received).toHaveLength(1);
    await eventually(() => t.server.stats().openStreams.PullPublication === 0);
  });

  it("applies read_mask, and skips changes that the mask hides", async () => {
    await client.createPublication({ publication: { id: "a", body: utf8("1"), mediaType: "text/plain" } });
    const pull = reader<PullPublicationResponse>(client.pullPublication({ id: "a", readMask: mask("id", "media_type") }, { signal: abort.signal }));
    expect((await pull.next()).changes[0]!.publication).toMatchObject({ id: "a", mediaType: "text/plain", version: "", body: new Uint8Array() });

    await client.updatePublication({ publication: { id: "a", body: utf8("2") }, updateMask: mask("body") }); // hidden by the mask
    await client.updatePublication({ publication: { id: "a", mediaType: "application/json" }, updateMask: mask("media_type") });
    expect((await pull.next()).changes[0]!.publication!.mediaType).toBe("application/json");
    expect(pull.received).toHaveLength(2);
  });

  it("sends acknowledgements as changes: the same version and publish time, a new receipt", async () => {
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    const pull = reader<PullPublicationResponse>(client.pullPublication({ id: "a" }, { signal: abort.signal }));
    await pull.next();
    await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    const acked = (await pull.next()).changes[0]!.publication!;
    expect(acked.audience!.receipt).toBe(Receipt.ACCEPTED);
    expect(acked.version).toBe(created.version);
    expect(acked.publishTime).toEqual(created.publishTime);
  });

  it("dates the opening change when the value was last written (an acknowledgement too), also after a restart", async () => {
    clock.set(1_000_000);
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    clock.set(1_005_000);
    await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    await client.createPublication({ publication: { id: "b" } });
    clock.set(1_009_000);
    const openingTimes = async () => {
      const one = reader<PullPublicationResponse>(t.client.pullPublication({ id: "a" }, { signal: abort.signal }));
      const all = reader<PullPublicationsResponse>(t.client.pullPublications({}, { signal: abort.signal }));
      const [a, b] = [(await all.next()).changes[0]!, (await all.next()).changes[0]!];
      return [timestampMs((await one.next()).changes[0]!.changeTime!), timestampMs(a.changeTime!), timestampMs(b.changeTime!)];
    };
    expect(await openingTimes()).toEqual([1_005_000, 1_005_000, 1_005_000]);

    abort.abort();
    abort = new AbortController();
    t = await t.restart();
    clock.set(2_000_000);
    expect(await openingTimes()).toEqual([1_005_000, 1_005_000, 1_005_000]);
  });

  it("answers INVALID_ARGUMENT for an empty id or an unknown read_mask field", async () => {
    expect(await statusOf(reader(client.pullPublication({ id: "" })).ended)).toBe(Code.InvalidArgument);
    expect(await statusOf(reader(client.pullPublication({ id: "a", readMask: mask("x") })).ended)).toBe(Code.InvalidArgument);
  });
});

describe("PullPublications", () => {
  it("sends every existing publication as ADD sorted by id, then ADD, UPDATE and REMOVE with old and new values", async () => {
    for (const id of ["c", "a", "b"]) await client.createPublication({ publication: { id, body: utf8(id) } });
    const pull = reader<PullPublicationsResponse>(client.pullPublications({ name: "bms-1" }, { signal: abort.signal }));
    const responses = [await pull.next(), await pull.next(), await pull.next()];
    expect(responses.map((r) => r.changes.length)).toEqual([1, 1, 1]); // one change per message, as the reference sends
    const initial = responses.map((r) => r.changes[0]!);
    expect(initial.map((c) => [c.type, c.newValue?.id, c.oldValue])).toEqual([
      [ChangeType.ADD, "a", undefined],
      [ChangeType.ADD, "b", undefined],
      [ChangeType.ADD, "c", undefined],
    ]);
    expect(initial.every((c) => c.name === "bms-1")).toBe(true);

    const added = await client.createPublication({ publication: { id: "d", body: utf8("d") } });
    const updated = await client.updatePublication({ publication: { id: "a", body: utf8("a2") } });
    await client.deletePublication({ id: "b" });
    const add = (await pull.next()).changes[0]!;
    const update = (await pull.next()).changes[0]!;
    const remove = (await pull.next()).changes[0]!;
    expect(add).toMatchObject({ type: ChangeType.ADD, newValue: { version: added.version } });
    expect(add.oldValue).toBeUndefined();
    expect(update).toMatchObject({ type: ChangeType.UPDATE, newValue: { version: updated.version } });
    expect(text(update.oldValue!.body)).toBe("a");
    expect(remove).toMatchObject({ type: ChangeType.REMOVE, oldValue: { id: "b" } });
    expect(remove.newValue).toBeUndefined();
  });

  it("with updates_only sends only later changes, and applies read_mask to old and new values", async () => {
    await client.createPublication({ publication: { id: "a", body: utf8("1"), mediaType: "text/plain" } });
    const pull = reader<PullPublicationsResponse>(client.pullPublications({ updatesOnly: true, readMask: mask("id", "body") }, { signal: abort.signal }));
    await streamsOpen("PullPublications", 1);
    await client.updatePublication({ publication: { id: "a", body: utf8("2"), mediaType: "text/plain" } });
    const change = (await pull.next()).changes[0]!;
    expect(change.type).toBe(ChangeType.UPDATE);
    expect(change.oldValue).toMatchObject({ id: "a", body: utf8("1"), mediaType: "", version: "" });
    expect(change.newValue).toMatchObject({ id: "a", body: utf8("2"), mediaType: "", version: "" });
  });

  it("gives a receiver that keeps up every change, none merged: REMOVE then ADD, ADD then REMOVE, UPDATE after UPDATE", async () => {
    await client.createPublication({ publication: { id: "a", body: utf8("a1") } });
    const pull = reader<PullPublicationsResponse>(client.pullPublications({ updatesOnly: true }, { signal: abort.signal }));
    await streamsOpen("PullPublications", 1);
    const steps: [() => Promise<unknown>, ChangeType][] = [
      [() => client.deletePublication({ id: "a" }), ChangeType.REMOVE],
      [() => client.createPublication({ publication: { id: "a", body: utf8("a2") } }), ChangeType.ADD],
      [() => client.createPublication({ publication: { id: "b" } }), ChangeType.ADD],
      [() => client.deletePublication({ id: "b" }), ChangeType.REMOVE],
      [() => client.updatePublication({ publication: { id: "a", body: utf8("a3") } }), ChangeType.UPDATE],
      [() => client.updatePublication({ publication: { id: "a", body: utf8("a4") } }), ChangeType.UPDATE],
    ];
    const seen: ChangeType[] = [];
    for (const [step] of steps) {
      await step();
      seen.push((await pull.next()).changes[0]!.type);
    }
    expect(seen).toEqual(steps.map(([, type]) => type));
  });

  it("delivers an acknowledgement as an UPDATE whose values differ only in the receipt", async () => {
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    const pull = reader<PullPublicationsResponse>(client.pullPublications({ updatesOnly: true }, { signal: abort.signal }));
    await streamsOpen("PullPublications", 1);
    await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.REJECTED, receiptRejectedReason: "wrong floor" });
    const change = (await pull.next()).changes[0]!;
    expect(change.type).toBe(ChangeType.UPDATE);
    expect(change.oldValue).toEqual(created);
    expect(change.newValue).toMatchObject({ version: created.version, publishTime: created.publishTime, audience: { receipt: Receipt.REJECTED, receiptRejectedReason: "wrong floor" } });
  });
});

describe("without PullPublications (pullAll: false)", () => {
  it("answers UNIMPLEMENTED to PullPublications while PullPublication still streams", async () => {
    const single = await startTestServer({ pullAll: false });
    try {
      await single.client.createPublication({ publication: { id: "a", body: utf8("1") } });
      expect(await statusOf(reader(single.client.pullPublications({})).ended)).toBe(Code.Unimplemented);
      const pull = reader<PullPublicationResponse>(single.client.pullPublication({ id: "a" }, { signal: abort.signal }));
      expect(text((await pull.next()).changes[0]!.publication!.body)).toBe("1");
      await single.client.updatePublication({ publication: { id: "a", body: utf8("2") } });
      expect(text((await pull.next()).changes[0]!.publication!.body)).toBe("2");
    } finally {
      abort.abort();
      await single.stop();
    }
  });
});

describe("without pull support (pull: false)", () => {
  it("answers UNIMPLEMENTED to both streaming RPCs, and Get still works for polling", async () => {
    const polled = await startTestServer({ pull: false });
    try {
      await polled.client.createPublication({ publication: { id: "a" } });
      expect(await statusOf(reader(polled.client.pullPublication({ id: "a" })).ended)).toBe(Code.Unimplemented);
      expect(await statusOf(reader(polled.client.pullPublications({})).ended)).toBe(Code.Unimplemented);
      expect((await polled.client.getPublication({ id: "a" })).id).toBe("a");
    } finally {
      await polled.stop();
    }
  });
});

describe("close()", () => {
  it("ends open streams with UNAVAILABLE and frees the port for a restart at once", async () => {
    const s = await startTestServer();
    await s.client.createPublication({ publication: { id: "a" } });
    const streams = [reader(s.client.pullPublication({ id: "a" })), reader(s.client.pullPublication({ id: "missing" })), reader(s.client.pullPublications({}))];
    await eventually(() => s.server.stats().openStreams.PullPublication === 2 && s.server.stats().openStreams.PullPublications === 1);

    const again = await s.restart(); // close() then listen on the same port
    try {
      expect(await Promise.all(streams.map((r) => statusOf(r.ended)))).toEqual([Code.Unavailable, Code.Unavailable, Code.Unavailable]);
      expect(again.server.port).toBe(s.server.port);
      expect((await again.client.getPublication({ id: "a" })).id).toBe("a");
    } finally {
      await again.stop();
    }
  });
});
