import { create, toBinary } from "@bufbuild/protobuf";
import { open } from "lmdb";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import type { StorageScope } from "../storage-scope.js";
import { StorageError } from "../../core/storage-error.js";
import { openLmdbDatabase, type LmdbDatabase } from "./lmdb-database.js";
import { createLmdbStorage } from "./lmdb-storage.js";
import { scopeDatabaseName } from "./scope-database-name.js";

const pub = (id: string, version = "v1", body = "body") =>
  create(PublicationSchema, { id, version, body: new TextEncoder().encode(body) });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const isCode = (code: StorageError["code"]) => (err: unknown) => StorageError.is(err, code);

const floor3: StorageScope = { server: "https://bms.example", device: "site/floor-3" };
const floor4: StorageScope = { server: "https://bms.example", device: "site/floor-4" };
const alice: StorageScope = { ...floor3, partition: "alice" };

let dir: string;
let path: string;
let database: LmdbDatabase;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-lmdb-storage-"));
  path = join(dir, "publications.mdb");
  database = openLmdbDatabase({ path });
});
afterEach(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

/** Closes `database`, then runs `fn` on the raw sub-database of `scope` with lmdb itself. */
async function withRawScope(scope: StorageScope, fn: (records: ReturnType<typeof rawScope>) => Promise<void> | void) {
  await database.close();
  const root = open({ path, noSubdir: true, encoding: "binary" });
  try {
    await fn(rawScope(root, scope));
  } finally {
    await root.close();
  }
}
function rawScope(root: ReturnType<typeof open>, scope: StorageScope) {
  return root.openDB<Uint8Array, string>({ name: scopeDatabaseName(scope), encoding: "binary" });
}

describe("LMDB storage", () => {
  it("keeps each record under its id as the binary protobuf, in the scope's sub-database", async () => {
    const value = pub("floor/3:temp", "v7", "21.5 °C");
    await createLmdbStorage(database, floor3).store(value);
    await withRawScope(floor3, (records) => {
      expect([...records.getKeys()]).toEqual(["floor/3:temp"]);
      expect(new Uint8Array(records.get("floor/3:temp")!)).toEqual(toBinary(PublicationSchema, value));
    });
  });

  it("reads records written into the sub-database by another program", async () => {
    await database.close();
    const root = open({ path, noSubdir: true, encoding: "binary" });
    await rawScope(root, floor3).put("from-outside", toBinary(PublicationSchema, pub("from-outside", "v9")));
    await root.close();
    database = openLmdbDatabase({ path });
    const storage = createLmdbStorage(database, floor3);
    expect(await storage.list()).toEqual(["from-outside"]);
    expect((await storage.load("from-outside")).version).toBe("v9");
  });

  it("keeps scopes apart: the same id in two scopes, and a partition, are different records", async () => {
    const a = createLmdbStorage(database, floor3);
    const b = createLmdbStorage(database, floor4);
    const c = createLmdbStorage(database, alice);
    await a.store(pub("temp", "a"));
    await b.store(pub("temp", "b"));
    await c.store(pub("temp", "c"));
    await a.store(pub("only-a"));
    expect([(await a.load("temp")).version, (await b.load("temp")).version, (await c.load("temp")).version]).toEqual(["a", "b", "c"]);
    expect((await a.list()).sort()).toEqual(["only-a", "temp"]);
    expect(await b.list()).toEqual(["temp"]);
    await expect(b.load("only-a")).rejects.toSatisfy(isCode("not-found"));
    expect(await b.delete("only-a")).toBe(false);
    expect(await a.delete("temp")).toBe(true);
    expect((await b.load("temp")).version).toBe("b");
  });

  it("clear() empties one scope, says how many it removed, and leaves the others", async () => {
    const a = createLmdbStorage(database, floor3);
    const b = createLmdbStorage(database, floor4);
    for (const id of ["x", "y", "z"]) await a.store(pub(id));
    await b.store(pub("x", "kept"));
    expect(await a.clear()).toBe(3);
    expect(await a.list()).toEqual([]);
    await expect(a.load("x")).rejects.toSatisfy(isCode("not-found"));
    expect((await b.load("x")).version).toBe("kept");
    expect(await a.clear()).toBe(0);
    // The scope still works after a clear.
    await a.store(pub("again"));
    expect(await a.list()).toEqual(["again"]);
  });

  it("two storages of the same scope on one database see the same records", async () => {
    const first = createLmdbStorage(database, floor3);
    const second = createLmdbStorage(database, floor3);
    await first.store(pub("shared", "v1"));
    expect((await second.load("shared")).version).toBe("v1");
    await second.store(pub("shared", "v2"));
    expect((await first.load("shared")).version).toBe("v2");
  });

  it("never creates a sub-database on reads: a scope appears with its first store", async () => {
    const storage = createLmdbStorage(database, floor3);
    await expect(storage.load("x")).rejects.toSatisfy(isCode("not-found"));
    expect(await storage.list()).toEqual([]);
    expect(await storage.delete("x")).toBe(false);
    expect(await storage.clear()).toBe(0);
    expect(await database.listScopes()).toEqual([]);
    await storage.store(pub("x"));
    expect(await database.listScopes()).toEqual([floor3]);
  });

  it("loads values that share no memory with each other or with the database", async () => {
    const storage = createLmdbStorage(database, floor3);
    await storage.store(pub("a", "v", "AAAA"));
    await storage.store(pub("b", "v", "BBBB"));
    const a = await storage.load("a");
    const b = await storage.load("b");
    // A reused read buffer (lmdb's getBinaryFast) would have turned a's body into b's.
    expect(text(a.body)).toBe("AAAA");
    expect(text(b.body)).toBe("BBBB");
    expect(a.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(a.body)).toBe(false);
  });

  describe("a corrupt record is reported as corrupt, list still works, and the next store overwrites it", () => {
    const cases: Array<[string, Uint8Array]> = [
      ["bytes that do not decode", new Uint8Array([0xff, 0xff, 0xff])],
      ["a publication with another id", toBinary(PublicationSchema, pub("someone-else"))],
    ];
    for (const [what, bytes] of cases) {
      it(what, async () => {
        await createLmdbStorage(database, floor3).store(pub("good"));
        await withRawScope(floor3, async (records) => {
          await records.put("p", bytes);
        });
        database = openLmdbDatabase({ path });
        const storage = createLmdbStorage(database, floor3);
        await expect(storage.load("p")).rejects.toSatisfy(isCode("corrupt"));
        expect((await storage.list()).sort()).toEqual(["good", "p"]);
        expect((await storage.load("good")).version).toBe("v1");
        await storage.store(pub("p", "v2", "fixed"));
        expect(text((await storage.load("p")).body)).toBe("fixed");
      });
    }
  });

  it("rejects ids LMDB cannot key or protobuf cannot round-trip as invalid, storing nothing", async () => {
    const storage = createLmdbStorage(database, floor3);
    const tooLong = "x".repeat(1979);
    await expect(storage.store(pub(tooLong))).rejects.toSatisfy(isCode("invalid"));
    await expect(storage.store(pub("lone \uD800 surrogate"))).rejects.toSatisfy(isCode("invalid"));
    await expect(storage.store(pub("\uDC00 reversed \uD800"))).rejects.toSatisfy(isCode("invalid"));
    expect(await storage.list()).toEqual([]);
    // What cannot be stored is simply absent.
    await expect(storage.load(tooLong)).rejects.toSatisfy(isCode("not-found"));
    await storage.store(pub("present"));
    expect(await storage.delete(tooLong)).toBe(false);
    // The longest id LMDB keys, and a well-formed pair, are fine.
    const longest = "y".repeat(1978);
    await storage.store(pub(longest));
    await storage.store(pub("pair \uD83C\uDF21"));
    expect((await storage.list()).sort()).toEqual(["pair \uD83C\uDF21", "present", longest].sort());
  });

  it("keeps every value of every scope across a close and reopen", async () => {
    const values = new Map<StorageScope, string[]>([
      [floor3, ["a", "b", "publicationRoundTrip!:$@.-_"]],
      [floor4, ["a"]],
      [alice, ["温度/ü"]],
    ]);
    for (const [scope, ids] of values) {
      const storage = createLmdbStorage(database, scope);
      for (const id of ids) await storage.store(pub(id, `${scope.device}/${scope.partition ?? ""}/${id}`));
    }
    await database.close();

    database = openLmdbDatabase({ path });
    for (const [scope, ids] of values) {
      const storage = createLmdbStorage(database, scope);
      expect((await storage.list()).sort()).toEqual([...ids].sort());
      for (const id of ids) expect((await storage.load(id)).version).toBe(`${scope.device}/${scope.partition ?? ""}/${id}`);
    }
  });

  it("throws invalid at once for a scope too long to name a sub-database", () => {
    expect(() => createLmdbStorage(database, { server: "https://bms.example", device: "d".repeat(2000) })).toThrow(
      expect.objectContaining({ name: "StorageError", code: "invalid" }),
    );
  });
});
