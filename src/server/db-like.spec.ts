import { create, toBinary } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Publication_Audience_Receipt as Receipt, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { encodeFileName } from "../storage/file/file-name-codec.js";
import { startTestServer, statusOf, text, utf8, type TestServer } from "./testing/test-server.js";

/** The database-backed server's behaviour (`dbLike: true`, `--db-like`); the rest is as the reference (other specs). */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestServer;
afterEach(() => t?.stop());

async function failure(call: Promise<unknown>): Promise<{ code: Code; message: string }> {
  try {
    await call;
  } catch (err) {
    const error = ConnectError.from(err);
    return { code: error.code, message: error.rawMessage };
  }
  throw new Error("the call succeeded");
}

describe("a db-like server", () => {
  it("answers UNIMPLEMENTED to both pulls, worded as the database server words it", async () => {
    t = await startTestServer({ dbLike: true });
    await t.client.createPublication({ publication: { id: "a" } });
    expect(await failure(first(t.client.pullPublication({ id: "a" })))).toEqual({ code: Code.Unimplemented, message: "PullPublication not implemented" });
    expect(await failure(first(t.client.pullPublications({})))).toEqual({ code: Code.Unimplemented, message: "PullPublications not implemented" });
  });

  it("mints a random UUID per version, so A → B → A gives three versions, and Get honours version", async () => {
    t = await startTestServer({ dbLike: true });
    const a = await t.client.createPublication({ publication: { id: "p", body: utf8("A") } });
    const b = await t.client.updatePublication({ publication: { id: "p", body: utf8("B") } });
    const again = await t.client.updatePublication({ publication: { id: "p", body: utf8("A") } });
    expect([a.version, b.version, again.version].every((v) => UUID.test(v))).toBe(true);
    expect(new Set([a.version, b.version, again.version]).size).toBe(3);

    expect(await t.client.getPublication({ id: "p", version: a.version })).toEqual(a);
    expect(await t.client.getPublication({ id: "p", version: b.version })).toEqual(b);
    expect(await t.client.getPublication({ id: "p" })).toEqual(again);
    expect(await t.client.getPublication({ id: "p", version: again.version })).toEqual(again);
  });

  it("answers UNKNOWN with the raw database error for a missing id or a version never minted; an empty id stays INVALID_ARGUMENT", async () => {
    t = await startTestServer({ dbLike: true });
    const other = await t.client.createPublication({ publication: { id: "other" } });
    await t.client.createPublication({ publication: { id: "p" } });
    const noRows = { code: Code.Unknown, message: "no rows in result set" };
    expect(await failure(t.client.getPublication({ id: "missing" }))).toEqual(noRows);
    expect(await failure(t.client.getPublication({ id: "p", version: "never-minted" }))).toEqual(noRows);
    expect(await failure(t.client.getPublication({ id: "p", version: other.version }))).toEqual(noRows); // another id's version
    expect(await statusOf(t.client.getPublication({ id: "" }))).toBe(Code.InvalidArgument);
  });

  it("needs an id to create (INVALID_ARGUMENT, as the database server answers) and refuses every update_mask", async () => {
    t = await startTestServer({ dbLike: true });
    expect(await failure(t.client.createPublication({ publication: { body: utf8("x") } }))).toEqual({
      code: Code.InvalidArgument,
      message: "publication ID must be present",
    });
    expect(await statusOf(t.client.createPublication({}))).toBe(Code.InvalidArgument);
    await t.client.createPublication({ publication: { id: "a", mediaType: "text/plain" } });
    // The insert hits the primary key; that server answers any such failure as a plain database error.
    expect(await failure(t.client.createPublication({ publication: { id: "a" } }))).toEqual({ code: Code.Internal, message: "database error" });

    for (const paths of [["body"], []]) {
      const masked = t.client.updatePublication({ publication: { id: "a", body: utf8("x") }, updateMask: create(FieldMaskSchema, { paths }) });
      expect(await failure(masked)).toEqual({ code: Code.Unimplemented, message: "field mask support not implemented" });
    }
    expect(text((await t.client.updatePublication({ publication: { id: "a", body: utf8("y") } })).body)).toBe("y");
  });

  it("lists without total_size or a page-size cap, with the last id as a plain-text token on every non-empty page", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "pubserver-dblike-"));
    const ids = Array.from({ length: 1005 }, (_, i) => `p${String(i).padStart(4, "0")}`);
    // Written straight into the data directory: 1005 Create calls would only make the test slow.
    for (const id of ids) {
      await writeFile(join(dataDir, encodeFileName(id)), toBinary(PublicationSchema, create(PublicationSchema, { id, version: `v-${id}` })));
    }
    t = await startTestServer({ dbLike: true, dataDir });

    const all = await t.client.listPublications({ pageSize: 2000 });
    expect(all.publications).toHaveLength(1005); // the reference would stop at 1000
    expect(all.totalSize).toBe(0);
    expect(all.nextPageToken).toBe("p1004");
    expect(await t.client.listPublications({ pageToken: "p1004" })).toMatchObject({ publications: [], nextPageToken: "" });

    const first = await t.client.listPublications({ pageSize: 2 });
    expect(first.publications.map((p) => p.id)).toEqual(["p0000", "p0001"]);
    expect(first.nextPageToken).toBe("p0001");
    const handMade = await t.client.listPublications({ pageSize: 3, pageToken: "p0999" }); // any id is a token
    expect(handMade.publications.map((p) => p.id)).toEqual(["p1000", "p1001", "p1002"]);
    const tail = await t.client.listPublications({ pageSize: 10, pageToken: "p1002" });
    expect(tail.publications.map((p) => p.id)).toEqual(["p1003", "p1004"]);
    expect(tail.nextPageToken).toBe("p1004"); // a short last page still carries a token

    expect((await t.client.listPublications({ pageSize: -1 })).publications).toHaveLength(50); // not an error: the default
    expect((await t.client.listPublications({})).publications).toHaveLength(50);
  });

  it("ignores read_mask on Get and List: full bodies always", async () => {
    t = await startTestServer({ dbLike: true });
    await t.client.createPublication({ publication: { id: "a", body: utf8("body-a"), mediaType: "text/plain" } });
    const metadataOnly = create(FieldMaskSchema, { paths: ["id", "version"] });
    const got = await t.client.getPublication({ id: "a", readMask: metadataOnly });
    expect(got).toMatchObject({ id: "a", body: utf8("body-a"), mediaType: "text/plain" });
    expect(got.publishTime).toBeDefined();
    const listed = await t.client.listPublications({ readMask: metadataOnly });
    expect(listed.publications[0]).toEqual(got);
    // Not read at all, so not checked either.
    expect(text((await t.client.getPublication({ id: "a", readMask: create(FieldMaskSchema, { paths: ["no_such_field"] }) })).body)).toBe("body-a");
  });

  it("answers every publication with an audience: an empty name when it has none, NO_SIGNAL until acknowledged", async () => {
    t = await startTestServer({ dbLike: true });
    const noSignal = { name: "", receipt: Receipt.NO_SIGNAL, receiptRejectedReason: "" };
    const created = await t.client.createPublication({ publication: { id: "a", body: utf8("1") } });
    expect(created.audience).toMatchObject(noSignal);
    expect(created.audience?.receiptTime).toBeUndefined();
    expect((await t.client.getPublication({ id: "a" })).audience).toMatchObject(noSignal);
    expect((await t.client.listPublications({})).publications[0]!.audience).toMatchObject(noSignal);
    const updated = await t.client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    expect(updated.audience).toMatchObject(noSignal);
    expect((await t.client.getPublication({ id: "a", version: created.version })).audience).toMatchObject(noSignal);

    const acked = await t.client.acknowledgePublication({ id: "a", version: updated.version, receipt: Receipt.REJECTED, receiptRejectedReason: "bad json" });
    expect(acked.audience).toMatchObject({ name: "", receipt: Receipt.REJECTED, receiptRejectedReason: "bad json" });
    expect(acked.audience?.receiptTime).toBeDefined();
    expect((await t.client.listPublications({})).publications[0]).toEqual(acked);
    expect((await t.client.getPublication({ id: "a", version: created.version })).audience).toMatchObject(noSignal); // per version
    expect((await t.client.deletePublication({ id: "a" })).audience).toMatchObject({ receipt: Receipt.REJECTED });
  });

  it("Update keeps the audience set at Create, checks the version, and a missing id is a raw foreign-key error", async () => {
    t = await startTestServer({ dbLike: true });
    const created = await t.client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
    await t.client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    const moved = await t.client.updatePublication({ publication: { id: "a", body: utf8("2"), audience: { name: "hall" } } });
    expect(moved.audience).toMatchObject({ name: "lobby", receipt: Receipt.NO_SIGNAL }); // a new version: no acknowledgement yet
    const dropped = await t.client.updatePublication({ publication: { id: "a", body: utf8("3") } });
    expect(dropped.audience).toMatchObject({ name: "lobby", receipt: Receipt.NO_SIGNAL });
    await t.client.createPublication({ publication: { id: "none" } });
    expect((await t.client.updatePublication({ publication: { id: "none", audience: { name: "hall" } } })).audience?.name).toBe("");

    expect(await statusOf(t.client.updatePublication({ publication: { id: "a" }, version: moved.version }))).toBe(Code.FailedPrecondition);
    expect(text((await t.client.updatePublication({ publication: { id: "a", body: utf8("4") }, version: dropped.version })).body)).toBe("4");
    expect(await failure(t.client.updatePublication({ publication: { id: "missing" } }))).toEqual({
      code: Code.Unknown,
      message: "ERROR: insert or update violates foreign key constraint (SQLSTATE 23503)",
    });
  });

  it("Delete of a missing id: UNKNOWN \"no rows in result set\", or an empty publication with allow_missing", async () => {
    t = await startTestServer({ dbLike: true });
    expect(await failure(t.client.deletePublication({ id: "missing" }))).toEqual({ code: Code.Unknown, message: "no rows in result set" });
    expect(await t.client.deletePublication({ id: "missing", allowMissing: true })).toEqual(create(PublicationSchema));
    const created = await t.client.createPublication({ publication: { id: "a" } });
    expect(await t.client.deletePublication({ id: "a" })).toEqual(created);
    expect(await statusOf(t.client.getPublication({ id: "a" }))).toBe(Code.Unknown);
  });

  it("a full last page still carries a token; the page after it is empty with none", async () => {
    t = await startTestServer({ dbLike: true });
    for (const id of ["a", "b", "c", "d"]) await t.client.createPublication({ publication: { id } });
    const second = await t.client.listPublications({ pageSize: 2, pageToken: "b" });
    expect(second.publications.map((p) => p.id)).toEqual(["c", "d"]);
    expect(second.nextPageToken).toBe("d");
    expect(await t.client.listPublications({ pageSize: 2, pageToken: "d" })).toMatchObject({ publications: [], nextPageToken: "", totalSize: 0 });
  });

  describe("AcknowledgePublication", () => {
    it("needs ACCEPTED or REJECTED, and no reason with ACCEPTED", async () => {
      t = await startTestServer({ dbLike: true });
      const created = await t.client.createPublication({ publication: { id: "a", audience: { name: "lobby" } } });
      for (const receipt of [Receipt.RECEIPT_UNSPECIFIED, Receipt.NO_SIGNAL]) {
        expect(await failure(t.client.acknowledgePublication({ id: "a", version: created.version, receipt }))).toEqual({
          code: Code.InvalidArgument,
          message: "REJECTED or ACCEPTED must be specified",
        });
      }
      const withReason = t.client.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED, receiptRejectedReason: "x" });
      expect(await statusOf(withReason)).toBe(Code.InvalidArgument);
      expect((await t.client.getPublication({ id: "a" })).audience?.receipt).toBe(Receipt.NO_SIGNAL);
    });

    it("acknowledges a past version without touching the current one; a version never minted → UNKNOWN, another id's → NOT_FOUND", async () => {
      t = await startTestServer({ dbLike: true });
      const v1 = await t.client.createPublication({ publication: { id: "a", body: utf8("1"), audience: { name: "lobby" } } });
      const v2 = await t.client.updatePublication({ publication: { id: "a", body: utf8("2"), audience: { name: "lobby" } } });

      const acked = await t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.REJECTED, receiptRejectedReason: "late" });
      expect(acked).toMatchObject({ version: v1.version, body: utf8("1"), audience: { receipt: Receipt.REJECTED, receiptRejectedReason: "late" } });
      expect(acked.audience?.receiptTime).toBeDefined();
      expect(await t.client.getPublication({ id: "a", version: v1.version })).toEqual(acked);
      expect(await t.client.getPublication({ id: "a" })).toEqual(v2); // the current version is untouched

      // One acknowledgement per version: a second one hits the acknowledgements table's key.
      const unique = { code: Code.Unknown, message: "ERROR: duplicate key value violates unique constraint (SQLSTATE 23505)" };
      expect(await failure(t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.REJECTED, receiptRejectedReason: "late" }))).toEqual(unique);
      expect(await failure(t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.ACCEPTED }))).toEqual(unique);
      // allow_acknowledged: the same kind of receipt answers the publication unchanged; a conflicting one still fails.
      expect(await t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.REJECTED, receiptRejectedReason: "other", allowAcknowledged: true })).toEqual(acked);
      expect(await failure(t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.ACCEPTED, allowAcknowledged: true }))).toEqual(unique);
      expect(await t.client.getPublication({ id: "a", version: v1.version })).toEqual(acked);

      const current = await t.client.acknowledgePublication({ id: "a", version: v2.version, receipt: Receipt.ACCEPTED });
      expect(await t.client.getPublication({ id: "a" })).toEqual(current);

      const unknown = { code: Code.Unknown, message: "no rows in result set" };
      expect(await failure(t.client.acknowledgePublication({ id: "a", version: "never-minted", receipt: Receipt.ACCEPTED }))).toEqual(unknown);
      expect(await failure(t.client.acknowledgePublication({ id: "missing", version: "never-minted", receipt: Receipt.ACCEPTED }))).toEqual(unknown);
      // The version row is found first, then it must belong to the id asked for.
      const b = await t.client.createPublication({ publication: { id: "b" } });
      expect(await statusOf(t.client.acknowledgePublication({ id: "a", version: b.version, receipt: Receipt.ACCEPTED }))).toBe(Code.NotFound);
      expect(await statusOf(t.client.acknowledgePublication({ id: "missing", version: v2.version, receipt: Receipt.ACCEPTED }))).toBe(Code.NotFound);
      expect((await t.client.getPublication({ id: "b" })).audience?.receipt).toBe(Receipt.NO_SIGNAL);
    });
  });

  it("keeps past versions across a restart, beside the publication files, and forgets them when the publication is deleted", async () => {
    t = await startTestServer({ dbLike: true });
    const v1 = await t.client.createPublication({ publication: { id: "a.1", body: utf8("1"), audience: { name: "lobby" } } });
    const acked = await t.client.acknowledgePublication({ id: "a.1", version: v1.version, receipt: Receipt.ACCEPTED });
    const v2 = await t.client.updatePublication({ publication: { id: "a.1", body: utf8("2") } });
    expect((await readdir(t.dataDir)).sort()).toEqual([".versions", encodeFileName("a.1")]);

    t = await t.restart();
    expect(await t.client.getPublication({ id: "a.1", version: v1.version })).toEqual(acked);
    expect(await t.client.getPublication({ id: "a.1" })).toEqual(v2);

    await t.client.deletePublication({ id: "a.1" });
    await t.client.createPublication({ publication: { id: "a.1", body: utf8("1") } });
    expect(await statusOf(t.client.getPublication({ id: "a.1", version: v1.version }))).toBe(Code.Unknown);
    t = await t.restart();
    expect(await statusOf(t.client.getPublication({ id: "a.1", version: v2.version }))).toBe(Code.Unknown);
  });

  it("reports and skips a version history that does not decode, and serves the publication", async () => {
    t = await startTestServer({ dbLike: true });
    const created = await t.client.createPublication({ publication: { id: "a", body: utf8("1") } });
    const dir = t.dataDir;
    await t.server.close();
    await writeFile(join(dir, ".versions", encodeFileName("a")), new Uint8Array([0xff, 0xff, 0xff, 0xff]));

    t = await startTestServer({ dbLike: true, dataDir: dir });
    expect(t.logs.some((line) => line.startsWith('data: skipped version history of "a"'))).toBe(true);
    expect(await t.client.getPublication({ id: "a", version: created.version })).toEqual(created); // the current one
    const next = await t.client.updatePublication({ publication: { id: "a", body: utf8("2") } });
    expect(await t.client.getPublication({ id: "a", version: next.version })).toEqual(next);
  });
});

/** The first message of a stream (to surface its status). */
async function first(stream: AsyncIterable<unknown>): Promise<unknown> {
  for await (const message of stream) return message;
  return undefined;
}
