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
    expect(await statusOf(t.client.createPublication({ publication: { id: "a" } }))).toBe(Code.AlreadyExists);

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

    it("acknowledges a past version without touching the current one; a version never minted → UNKNOWN", async () => {
      t = await startTestServer({ dbLike: true });
      const v1 = await t.client.createPublication({ publication: { id: "a", body: utf8("1"), audience: { name: "lobby" } } });
      const v2 = await t.client.updatePublication({ publication: { id: "a", body: utf8("2"), audience: { name: "lobby" } } });

      const acked = await t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.REJECTED, receiptRejectedReason: "late" });
      expect(acked).toMatchObject({ version: v1.version, body: utf8("1"), audience: { receipt: Receipt.REJECTED, receiptRejectedReason: "late" } });
      expect(acked.audience?.receiptTime).toBeDefined();
      expect(await t.client.getPublication({ id: "a", version: v1.version })).toEqual(acked);
      expect(await t.client.getPublication({ id: "a" })).toEqual(v2); // the current version is untouched

      expect(await statusOf(t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.ACCEPTED }))).toBe(Code.FailedPrecondition);
      expect(await t.client.acknowledgePublication({ id: "a", version: v1.version, receipt: Receipt.ACCEPTED, allowAcknowledged: true })).toEqual(acked);

      const current = await t.client.acknowledgePublication({ id: "a", version: v2.version, receipt: Receipt.ACCEPTED });
      expect(await t.client.getPublication({ id: "a" })).toEqual(current);

      const unknown = { code: Code.Unknown, message: "no rows in result set" };
      expect(await failure(t.client.acknowledgePublication({ id: "a", version: "never-minted", receipt: Receipt.ACCEPTED }))).toEqual(unknown);
      expect(await failure(t.client.acknowledgePublication({ id: "missing", version: v2.version, receipt: Receipt.ACCEPTED }))).toEqual(unknown);
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
