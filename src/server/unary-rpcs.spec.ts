import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Publication_Audience_Receipt as Receipt } from "../gen/smartcore/traits/publication_pb.js";
import { manualClock, startTestServer, text, utf8, type PublicationClient, statusOf, type TestServer } from "./testing/test-server.js";
import { mintVersion } from "./version.js";

const mask = (...paths: string[]) => create(FieldMaskSchema, { paths });

let t: TestServer;
let client: PublicationClient;
const clock = manualClock();

beforeEach(async () => {
  t = await startTestServer({ clock });
  client = t.client;
});
afterEach(() => t.stop());

describe("CreatePublication", () => {
  it("mints the version from the content and sets publish_time to now, ignoring the client's values", async () => {
    clock.set(Date.UTC(2026, 2, 1, 8, 0));
    const created = await client.createPublication({
      publication: { id: "site-config", body: utf8("{}"), mediaType: "application/json", version: "mine", publishTime: { seconds: 1n } },
    });
    expect(created.version).toBe(mintVersion(created));
    expect(created.version).not.toBe("mine");
    expect(timestampMs(created.publishTime!)).toBe(Date.UTC(2026, 2, 1, 8, 0));
    expect(created).toMatchObject({ id: "site-config", mediaType: "application/json" });
  });

  it("answers ALREADY_EXISTS for an existing id", async () => {
    await client.createPublication({ publication: { id: "a" } });
    expect(await statusOf(client.createPublication({ publication: { id: "a", body: utf8("other") } }))).toBe(Code.AlreadyExists);
  });

  it("generates a unique id when none is given", async () => {
    const one = await client.createPublication({ publication: { body: utf8("1") } });
    const two = await client.createPublication({ publication: { body: utf8("1") } });
    expect(one.id).not.toBe("");
    expect(two.id).not.toBe(one.id);
    expect((await client.getPublication({ id: one.id })).body).toEqual(utf8("1"));
  });

  it("sets the receipt of an audience to NO_SIGNAL and clears its time and reason", async () => {
    const created = await client.createPublication({
      publication: { id: "a", audience: { name: "lobby", receipt: Receipt.ACCEPTED, receiptRejectedReason: "x", receiptTime: { seconds: 5n } } },
    });
    expect(created.audience).toMatchObject({ name: "lobby", receipt: Receipt.NO_SIGNAL, receiptRejectedReason: "" });
    expect(created.audience?.receiptTime).toBeUndefined();
  });

  it("answers INVALID_ARGUMENT without a publication", async () => {
    expect(await statusOf(client.createPublication({}))).toBe(Code.InvalidArgument);
  });
});

describe("GetPublication", () => {
  it("answers INVALID_ARGUMENT for an empty id and NOT_FOUND for a missing one", async () => {
    expect(await statusOf(client.getPublication({ id: "" }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.getPublication({ id: "missing" }))).toBe(Code.NotFound);
  });

  it("honours read_mask and rejects unknown mask fields", async () => {
    const created = await client.createPublication({ publication: { id: "a", body: utf8("big"), mediaType: "text/plain" } });
    const got = await client.getPublication({ id: "a", readMask: mask("id", "version") });
    expect(got).toMatchObject({ id: "a", version: created.version, body: new Uint8Array(), mediaType: "" });
    expect(got.publishTime).toBeUndefined();
    expect(await statusOf(client.getPublication({ id: "a", readMask: mask("nope") }))).toBe(Code.InvalidArgument);
  });

  it("ignores version, as the reference does: any version answers the current value", async () => {
    const created = await client.createPublication({ publication: { id: "a", body: utf8("1") } });
    const updated = await client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    for (const version of [updated.version, created.version, "never-minted"]) {
      expect(await client.getPublication({ id: "a", version })).toEqual(updated);
    }
  });
});

describe("UpdatePublication", () => {
  it("answers INVALID_ARGUMENT for an empty id and NOT_FOUND for a missing one", async () => {
    expect(await statusOf(client.updatePublication({ publication: { id: "" } }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.updatePublication({}))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.updatePublication({ publication: { id: "missing" } }))).toBe(Code.NotFound);
  });

  it("checks the expected version: FAILED_PRECONDITION on mismatch, success on match", async () => {
    const created = await client.createPublication({ publication: { id: "a", body: utf8("1") } });
    expect(await statusOf(client.updatePublication({ publication: { id: "a", body: utf8("2") }, version: "stale" }))).toBe(
      Code.FailedPrecondition,
    );
    const updated = await client.updatePublication({ publication: { id: "a", body: utf8("2") }, version: created.version });
    expect(text(updated.body)).toBe("2");
    expect(updated.version).toBe(mintVersion(updated));
    expect(updated.version).not.toBe(created.version);
  });

  it("gives identical content the same version again, with a new publish_time", async () => {
    clock.set(1_000_000);
    const created = await client.createPublication({ publication: { id: "a", body: utf8("same") } });
    clock.advance(60_000);
    const again = await client.updatePublication({ publication: { id: "a", body: utf8("same") } });
    expect(again.version).toBe(created.version);
    expect(timestampMs(again.publishTime!)).toBe(1_060_000);
  });

  it("honours update_mask: only masked fields change, and the id stays", async () => {
    await client.createPublication({ publication: { id: "a", body: utf8("old"), mediaType: "text/plain" } });
    const updated = await client.updatePublication({
      publication: { id: "a", body: utf8("new"), mediaType: "ignored/type" },
      updateMask: mask("body"),
    });
    expect(updated).toMatchObject({ id: "a", mediaType: "text/plain" });
    expect(text(updated.body)).toBe("new");
    expect(await statusOf(client.updatePublication({ publication: { id: "a" }, updateMask: mask("bogus") }))).toBe(
      Code.InvalidArgument,
    );
  });

  it("replaces the whole publication without a mask, and resets an acknowledged receipt", async () => {
    const created = await client.createPublication({ publication: { id: "a", mediaType: "text/plain", audience: { name: "lobby" } } });
    await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    const updated = await client.updatePublication({ publication: { id: "a", body: utf8("x"), audience: { name: "lobby" } } });
    expect(updated.mediaType).toBe("");
    expect(updated.audience).toMatchObject({ receipt: Receipt.NO_SIGNAL });
    expect(updated.audience?.receiptTime).toBeUndefined();
  });
});

describe("DeletePublication", () => {
  it("answers INVALID_ARGUMENT for an empty id, NOT_FOUND for a missing one, and honours allow_missing", async () => {
    expect(await statusOf(client.deletePublication({ id: "" }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.deletePublication({ id: "missing" }))).toBe(Code.NotFound);
    expect(await client.deletePublication({ id: "missing", allowMissing: true })).toMatchObject({ id: "", version: "" });
  });

  it("checks the version, returns the deleted value, and the publication is gone", async () => {
    const created = await client.createPublication({ publication: { id: "a", body: utf8("bye") } });
    expect(await statusOf(client.deletePublication({ id: "a", version: "stale" }))).toBe(Code.FailedPrecondition);
    const deleted = await client.deletePublication({ id: "a", version: created.version });
    expect(deleted.version).toBe(created.version);
    expect(text(deleted.body)).toBe("bye");
    expect(await statusOf(client.getPublication({ id: "a" }))).toBe(Code.NotFound);
  });
});

describe("AcknowledgePublication", () => {
  it("requires id and version, and answers NOT_FOUND for a missing publication", async () => {
    expect(await statusOf(client.acknowledgePublication({ id: "", version: "v" }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.acknowledgePublication({ id: "a", version: "" }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.acknowledgePublication({ id: "missing", version: "v" }))).toBe(Code.NotFound);
  });

  it("answers ABORTED when the version is not the current one", async () => {
    await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    expect(await statusOf(client.acknowledgePublication({ id: "a", version: "stale", receipt: Receipt.ACCEPTED }))).toBe(Code.Aborted);
  });

  it("sets receipt, reason and receipt_time = now, keeping version and publish_time", async () => {
    clock.set(2_000_000);
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    clock.advance(5_000);
    const acked = await client.acknowledgePublication({
      id: "a",
      version: created.version,
      receipt: Receipt.REJECTED,
      receiptRejectedReason: "wrong screen",
    });
    expect(acked.audience).toMatchObject({ name: "lobby", receipt: Receipt.REJECTED, receiptRejectedReason: "wrong screen" });
    expect(timestampMs(acked.audience!.receiptTime!)).toBe(2_005_000);
    expect(acked.version).toBe(created.version);
    expect(acked.publishTime).toEqual(created.publishTime);
    expect((await client.getPublication({ id: "a" })).audience?.receipt).toBe(Receipt.REJECTED);
  });

  it("stores the receipt as given, unchecked, and lets a receipt that is not ACCEPTED or REJECTED be followed by another", async () => {
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    const unspecified = await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.RECEIPT_UNSPECIFIED });
    expect(unspecified.audience?.receipt).toBe(Receipt.RECEIPT_UNSPECIFIED);
    expect(unspecified.audience?.receiptTime).toBeDefined();
    const noSignal = await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.NO_SIGNAL });
    expect(noSignal.audience?.receipt).toBe(Receipt.NO_SIGNAL);
    const accepted = await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    expect(accepted.audience?.receipt).toBe(Receipt.ACCEPTED);
  });

  it("acknowledges a publication without an audience, giving it one with the receipt", async () => {
    clock.set(3_000_000);
    const created = await client.createPublication({ publication: { id: "a" } });
    expect(created.audience).toBeUndefined();
    const acked = await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    expect(acked.audience).toMatchObject({ name: "", receipt: Receipt.ACCEPTED });
    expect(timestampMs(acked.audience!.receiptTime!)).toBe(3_000_000);
    expect(acked.version).toBe(created.version);
  });

  it("refuses a second acknowledgement with FAILED_PRECONDITION unless allow_acknowledged", async () => {
    const created = await client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    const first = await client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    expect(await statusOf(client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.REJECTED }))).toBe(
      Code.FailedPrecondition,
    );
    const again = await client.acknowledgePublication({
      id: "a",
      version: created.version,
      receipt: Receipt.REJECTED,
      allowAcknowledged: true,
    });
    expect(again).toEqual(first);
  });
});

describe("ListPublications", () => {
  it("lists sorted by id with total_size, honouring read_mask", async () => {
    for (const id of ["b", "c", "a", "B"]) await client.createPublication({ publication: { id, body: utf8(id) } });
    const listed = await client.listPublications({ readMask: mask("id") });
    expect(listed.publications.map((p) => p.id)).toEqual(["B", "a", "b", "c"]);
    expect(listed.publications.every((p) => p.body.length === 0 && p.version === "")).toBe(true);
    expect(listed.totalSize).toBe(4);
    expect(listed.nextPageToken).toBe("");
  });

  it("pages with opaque tokens, 50 per page by default, and stays correct when items go between pages", async () => {
    const ids = Array.from({ length: 53 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    await Promise.all(ids.map((id) => client.createPublication({ publication: { id } })));
    const first = await client.listPublications({});
    expect(first.publications).toHaveLength(50);
    expect(first.totalSize).toBe(53);
    expect(first.nextPageToken).not.toBe("");

    await client.deletePublication({ id: "p49" }); // the last one sent
    await client.deletePublication({ id: "p50" }); // the next one due
    const second = await client.listPublications({ pageToken: first.nextPageToken });
    expect(second.publications.map((p) => p.id)).toEqual(["p51", "p52"]);
    expect(second.nextPageToken).toBe("");
    expect(second.totalSize).toBe(51);

    const small = await client.listPublications({ pageSize: 2 });
    const next = await client.listPublications({ pageSize: 2, pageToken: small.nextPageToken });
    expect([...small.publications, ...next.publications].map((p) => p.id)).toEqual(["p00", "p01", "p02", "p03"]);
  });

  it("still gives a token with a last page that is exactly full, as the reference does; the page after it is empty", async () => {
    for (const id of ["a", "b", "c", "d"]) await client.createPublication({ publication: { id } });
    const first = await client.listPublications({ pageSize: 2 });
    const second = await client.listPublications({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.publications.map((p) => p.id)).toEqual(["c", "d"]);
    expect(second.nextPageToken).not.toBe("");
    const third = await client.listPublications({ pageSize: 2, pageToken: second.nextPageToken });
    expect(third).toMatchObject({ publications: [], nextPageToken: "", totalSize: 4 });

    const partial = await client.listPublications({ pageSize: 3, pageToken: (await client.listPublications({ pageSize: 2 })).nextPageToken });
    expect(partial.publications.map((p) => p.id)).toEqual(["c", "d"]);
    expect(partial.nextPageToken).toBe(""); // a page that is not full is the last
    expect((await client.listPublications({})).nextPageToken).toBe("");
  });

  it("answers INVALID_ARGUMENT for a bad page token or a negative page size", async () => {
    expect(await statusOf(client.listPublications({ pageToken: "garbage" }))).toBe(Code.InvalidArgument);
    expect(await statusOf(client.listPublications({ pageSize: -1 }))).toBe(Code.InvalidArgument);
  });
});
