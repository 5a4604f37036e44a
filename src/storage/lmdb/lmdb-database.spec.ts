import { create } from "@bufbuild/protobuf";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import type { StorageScope } from "../storage-scope.js";
import { StorageError } from "../../core/storage-error.js";
import { openLmdbDatabase, type LmdbDatabase } from "./lmdb-database.js";
import { createLmdbStorage } from "./lmdb-storage.js";

const pub = (id: string, version = "v1", bodyBytes = 8) =>
  create(PublicationSchema, { id, version, body: new Uint8Array(bodyBytes).fill(1) });
const isCode = (code: StorageError["code"]) => (err: unknown) => StorageError.is(err, code);
const storageError = (code: StorageError["code"]) => expect.objectContaining({ name: "StorageError", code });

const floor3: StorageScope = { server: "https://bms.example", device: "site/floor-3" };
const floor4: StorageScope = { server: "https://bms.example", device: "site/floor-4" };

let dir: string;
const opened: LmdbDatabase[] = [];
const openHere = (options: { maxScopes?: number; mapSize?: number } = {}, name = "publications.mdb") => {
  const database = openLmdbDatabase({ path: join(dir, name), ...options });
  opened.push(database);
  return database;
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-lmdb-database-"));
});
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  await rm(dir, { recursive: true, force: true });
});

describe("openLmdbDatabase", () => {
  it("makes one database file (and its lock file), creating missing directories", async () => {
    const path = join(dir, "nested", "deeper", "publications.mdb");
    const database = openLmdbDatabase({ path });
    opened.push(database);
    await createLmdbStorage(database, floor3).store(pub("a"));
    await createLmdbStorage(database, floor4).store(pub("a"));
    expect((await stat(path)).isFile()).toBe(true);
    expect((await stat(`${path}-lock`)).isFile()).toBe(true);
    expect(database.path).toBe(path);
  });

  it("rejects a path that cannot hold a database file as unavailable", async () => {
    await writeFile(join(dir, "a-file"), "x");
    await mkdir(join(dir, "a-directory"));
    expect(() => openLmdbDatabase({ path: join(dir, "a-file", "publications.mdb") })).toThrow(storageError("unavailable"));
    expect(() => openLmdbDatabase({ path: join(dir, "a-directory") })).toThrow(storageError("unavailable"));
  });

  it("rejects options it cannot use as invalid", () => {
    expect(() => openLmdbDatabase({ path: "" })).toThrow(storageError("invalid"));
    expect(() => openLmdbDatabase({ path: join(dir, "x.mdb"), maxScopes: 0 })).toThrow(storageError("invalid"));
    expect(() => openLmdbDatabase({ path: join(dir, "x.mdb"), maxScopes: 1.5 })).toThrow(storageError("invalid"));
  });

  it("grows the map past a tiny mapSize instead of failing (lmdb-js resizes on demand)", async () => {
    const database = openHere({ mapSize: 64 * 1024 });
    const storage = createLmdbStorage(database, floor3);
    for (let i = 0; i < 8; i++) await storage.store(pub(`big-${i}`, "v", 256 * 1024));
    expect((await storage.list()).length).toBe(8);
    expect((await storage.load("big-7")).body.length).toBe(256 * 1024);
    expect((await stat(database.path)).size).toBeGreaterThan(2 * 1024 * 1024);
  });

  it("rejects one scope more than maxScopes as quota-exceeded, keeping the others working", async () => {
    const database = openHere({ maxScopes: 2 });
    await createLmdbStorage(database, floor3).store(pub("a"));
    await createLmdbStorage(database, floor4).store(pub("b"));
    const third = createLmdbStorage(database, { server: "https://other.example", device: "d" });
    await expect(third.store(pub("c"))).rejects.toSatisfy(isCode("quota-exceeded"));
    expect((await createLmdbStorage(database, floor3).load("a")).version).toBe("v1");
    await createLmdbStorage(database, floor4).store(pub("b", "v2"));
  });
});

describe("LmdbDatabase", () => {
  it("lists every scope with records, across a reopen, ignoring other sub-databases' names", async () => {
    const alice = { ...floor3, partition: "alice" };
    const oddServer = { server: 'https://x.example/"quoted"\u0000', device: "温度" };
    let database = openHere();
    for (const scope of [floor3, floor4, alice, oddServer]) await createLmdbStorage(database, scope).store(pub("x"));
    await database.close();
    database = openHere();
    const scopes = await database.listScopes();
    expect(scopes).toHaveLength(4);
    expect(scopes).toEqual(expect.arrayContaining([floor3, floor4, alice, oddServer]));
  });

  it("shares one environment between the storages made on it: one close ends them all", async () => {
    const database = openHere();
    const a = createLmdbStorage(database, floor3);
    const b = createLmdbStorage(database, floor4);
    await a.store(pub("a"));
    await b.store(pub("b"));
    await database.close();
    for (const storage of [a, b]) {
      await expect(storage.load("a")).rejects.toSatisfy(isCode("unavailable"));
      await expect(storage.store(pub("new"))).rejects.toSatisfy(isCode("unavailable"));
      await expect(storage.list()).rejects.toSatisfy(isCode("unavailable"));
      await expect(storage.delete("a")).rejects.toSatisfy(isCode("unavailable"));
      await expect(storage.clear()).rejects.toSatisfy(isCode("unavailable"));
    }
    await expect(database.listScopes()).rejects.toSatisfy(isCode("unavailable"));
    // Even an empty id: closed comes first.
    await expect(a.load("")).rejects.toSatisfy(isCode("unavailable"));
    await database.close();
    expect(() => createLmdbStorage(database, floor3)).not.toThrow();
  });

  it("commits the writes started before close", async () => {
    let database = openHere();
    const storage = createLmdbStorage(database, floor3);
    const writes = Array.from({ length: 20 }, (_, i) => storage.store(pub(`w-${i}`, `v-${i}`)));
    const closed = database.close();
    await Promise.all(writes);
    await closed;
    database = openHere();
    const reopened = createLmdbStorage(database, floor3);
    expect((await reopened.list()).length).toBe(20);
    expect((await reopened.load("w-19")).version).toBe("v-19");
  });

  it("accepts only databases from openLmdbDatabase", () => {
    const impostor: LmdbDatabase = { path: "x", listScopes: async () => [], close: async () => {} };
    expect(() => createLmdbStorage(impostor, floor3)).toThrow(storageError("invalid"));
  });
});
