import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Clock } from "../../core/clock.js";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "../../core/storage-error.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "./database.js";
import { createIdbStorage } from "./idb-storage.js";
import type { PublicationRecord } from "./schema.js";
import { scopeKey, type StorageScope } from "../storage-scope.js";
import { openRaw } from "./testing/idb-test-support.js";

const site: StorageScope = { server: "https://bms.example", device: "site/floor-3" };
const text = (s: string) => new TextEncoder().encode(s);
const pub = (id: string, body: string, version = "v1"): Publication =>
  create(PublicationSchema, { id, version, body: text(body) });

const handles: PubCacheDatabase[] = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.close());
  vi.restoreAllMocks();
});
function open(factory: IDBFactory): PubCacheDatabase {
  const db = openPubCacheDatabase({ factory });
  handles.push(db);
  return db;
}

/** Writes a record straight into the database, bypassing the storage's checks. */
async function writeRaw(factory: IDBFactory, record: Omit<PublicationRecord, "bytes"> & { bytes: unknown }) {
  const raw = await openRaw(factory);
  await raw.put("publications", record as PublicationRecord);
  raw.close();
}

describe("IndexedDB storage", () => {
  it("keeps servers, devices and partitions apart", async () => {
    const db = open(new IDBFactory());
    const scopes: StorageScope[] = [
      site,
      { ...site, server: "https://other.example" },
      { ...site, device: "site/floor-4" },
      { ...site, partition: "alice" },
      { ...site, partition: "bob" },
    ];
    const storages = scopes.map((scope) => createIdbStorage(db, scope));
    await Promise.all(storages.map((s, i) => s.store(pub("shared-id", `scope ${i}`))));
    await storages[0]!.store(pub("only-in-0", "x"));

    for (const [i, storage] of storages.entries()) {
      expect(new TextDecoder().decode((await storage.load("shared-id")).body)).toBe(`scope ${i}`);
    }
    expect((await storages[0]!.list()).sort()).toEqual(["only-in-0", "shared-id"]);
    expect(await storages[3]!.list()).toEqual(["shared-id"]);
    await expect(storages[4]!.load("only-in-0")).rejects.toSatisfy((e) => StorageError.is(e, "not-found"));

    expect(await storages[3]!.delete("shared-id")).toBe(true);
    expect(await storages[4]!.list()).toEqual(["shared-id"]);
    expect((await storages[0]!.load("shared-id")).body).toEqual(text("scope 0"));
  });

  it("clear() wipes one scope only and counts what it removed", async () => {
    const db = open(new IDBFactory());
    const alice = createIdbStorage(db, { ...site, partition: "alice" });
    const bob = createIdbStorage(db, { ...site, partition: "bob" });
    for (const id of ["a", "b", "c"]) await alice.store(pub(id, id));
    await bob.store(pub("a", "bob's"));

    expect(await alice.clear()).toBe(3);
    expect(await alice.list()).toEqual([]);
    expect(await alice.clear()).toBe(0);
    expect((await bob.load("a")).body).toEqual(text("bob's"));
  });

  it("persists across database handles (a restarted worker sees the values)", async () => {
    const factory = new IDBFactory();
    const first = open(factory);
    await createIdbStorage(first, site).store(pub("p", "kept"));
    first.close();
    expect((await createIdbStorage(open(factory), site).load("p")).body).toEqual(text("kept"));
  });

  it("loadEntry returns the value with version, publish time and stored-at", async () => {
    const clock: Clock = { now: () => 1_700_000_555_000, setTimer: () => () => {} };
    const storage = createIdbStorage(open(new IDBFactory()), site, { clock });
    const value = create(PublicationSchema, { id: "p", version: "v7", publishTime: timestampFromMs(1_700_000_000_250) });
    await storage.store(value);
    const entry = await storage.loadEntry("p");
    expect(entry).toMatchObject({ version: "v7", publishTimeMs: 1_700_000_000_250, storedAt: 1_700_000_555_000 });
    expect(entry.publication.id).toBe("p");

    await storage.store(create(PublicationSchema, { id: "q" }));
    expect(await storage.loadEntry("q")).toMatchObject({ version: "", publishTimeMs: undefined });
  });

  it("stores the binary protobuf with a readable envelope", async () => {
    const factory = new IDBFactory();
    const value = create(PublicationSchema, { id: "p", version: "v1", publishTime: timestampFromMs(5_000) });
    await createIdbStorage(open(factory), site, { clock: { now: () => 42, setTimer: () => () => {} } }).store(value);
    const raw = await openRaw(factory);
    const record = await raw.get("publications", [scopeKey(site), "p"]);
    raw.close();
    expect(record).toEqual({
      scopeKey: scopeKey(site),
      id: "p",
      bytes: toBinary(PublicationSchema, value),
      version: "v1",
      publishTimeMs: 5_000,
      storedAt: 42,
    });
  });

  describe("a corrupt record is reported as corrupt, and the next store overwrites it", () => {
    const envelope = { scopeKey: scopeKey(site), id: "p", version: "v", publishTimeMs: undefined, storedAt: 1 };
    const cases: Array<[string, unknown]> = [
      ["bytes that do not decode", new Uint8Array([0xff, 0xff, 0xff])],
      ["bytes of another id", toBinary(PublicationSchema, pub("not-p", "x"))],
      ["no bytes at all", "a string where bytes belong"],
    ];
    for (const [what, bytes] of cases) {
      it(what, async () => {
        const factory = new IDBFactory();
        await writeRaw(factory, { ...envelope, bytes });
        const storage = createIdbStorage(open(factory), site);
        await expect(storage.load("p")).rejects.toSatisfy((e) => StorageError.is(e, "corrupt"));
        await expect(storage.loadEntry("p")).rejects.toSatisfy((e) => StorageError.is(e, "corrupt"));
        expect(await storage.list()).toEqual(["p"]);

        await storage.store(pub("p", "good"));
        expect((await storage.load("p")).body).toEqual(text("good"));
      });
    }
  });

  it("reports a full disk as quota-exceeded and keeps the previous value", async () => {
    const storage = createIdbStorage(open(new IDBFactory()), site);
    await storage.store(pub("p", "before"));
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });
    await expect(storage.store(pub("p", "after"))).rejects.toSatisfy((e) => StorageError.is(e, "quota-exceeded"));
    vi.restoreAllMocks();
    expect((await storage.load("p")).body).toEqual(text("before"));
  });
});
