import { forceCloseDatabase, IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../core/logger.js";
import { StorageError } from "../../core/storage-error.js";
import { openPubCacheDatabase, type PubCacheDatabase, type PubCacheDatabaseOptions } from "./database.js";
import { DB_NAME, DB_VERSION, type PublicationRecord } from "./schema.js";
import { openRaw, recordingFactory } from "./testing/idb-test-support.js";

const record = (id: string): PublicationRecord => ({
  scopeKey: "[]",
  id,
  bytes: new Uint8Array([10, id.length, ...new TextEncoder().encode(id)]),
  version: "v",
  publishTimeMs: undefined,
  storedAt: 1,
});

const handles: PubCacheDatabase[] = [];
const rawConnections: Array<{ close(): void }> = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.close());
  rawConnections.splice(0).forEach((c) => c.close());
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function open(options: PubCacheDatabaseOptions): PubCacheDatabase {
  const db = openPubCacheDatabase(options);
  handles.push(db);
  return db;
}

const put = (db: PubCacheDatabase, id: string) =>
  db.run("readwrite", ["publications"], async (tx) => {
    await tx.objectStore("publications").put(record(id));
  });
const ids = (db: PubCacheDatabase) =>
  db.run("readonly", ["publications"], async (tx) => (await tx.objectStore("publications").getAllKeys()).map(([, id]) => id));

/** Opens `version` directly and reports whether the open was ever blocked. */
function openExpectingNoBlock(factory: IDBFactory, version: number): Promise<{ blocked: boolean }> {
  return new Promise((resolve, reject) => {
    let blocked = false;
    const request = factory.open(DB_NAME, version);
    request.onblocked = () => (blocked = true);
    request.onsuccess = () => {
      request.result.close();
      resolve({ blocked });
    };
    request.onerror = () => reject(request.error);
  });
}

describe("openPubCacheDatabase", () => {
  it("opens nothing until the first operation, then one connection at the current version", async () => {
    const { factory, connections } = recordingFactory();
    const db = open({ factory });
    expect(await factory.databases()).toEqual([]);
    await put(db, "a");
    expect(await ids(db)).toEqual(["a"]);
    expect(connections).toHaveLength(1);
    expect(connections[0]!.version).toBe(DB_VERSION);
  });

  it("uses the global indexedDB only when no factory is given, and only when first used", async () => {
    const name = `global-${Math.random()}`;
    const db = open({ name });
    await put(db, "a");
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(name);

    vi.stubGlobal("indexedDB", undefined);
    const without = open({ name: "nowhere" });
    await expect(ids(without)).rejects.toMatchObject({ code: "unavailable" });
  });

  it("closes its connection on versionchange so another tab can upgrade, then reports the newer version", async () => {
    const factory = new IDBFactory();
    const db = open({ factory });
    await put(db, "a");
    expect(await openExpectingNoBlock(factory, DB_VERSION + 1)).toEqual({ blocked: false });
    const error = await ids(db).catch((e: unknown) => e);
    expect(StorageError.is(error, "unavailable")).toBe(true);
    expect((error as Error).message).toMatch(/newer version/);
  });

  it("lets another tab delete the database, then starts afresh", async () => {
    const factory = new IDBFactory();
    const db = open({ factory });
    await put(db, "a");
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(DB_NAME);
      request.onblocked = () => reject(new Error("delete was blocked"));
      request.onsuccess = () => resolve();
    });
    expect(await ids(db)).toEqual([]);
  });

  it("reports a blocked upgrade as StorageError('blocked') and calls onBlocked, instead of hanging", async () => {
    const factory = new IDBFactory();
    const oldTab = await openRaw(factory, DB_VERSION - 1); // ignores versionchange
    rawConnections.push(oldTab);
    const onBlocked = vi.fn();
    const db = open({ factory, onBlocked });

    await expect(put(db, "a")).rejects.toSatisfy((e) => StorageError.is(e, "blocked"));
    expect(onBlocked).toHaveBeenCalledTimes(1);

    // Once the old tab goes away, the next operation opens and upgrades.
    oldTab.close();
    await put(db, "a");
    expect(await ids(db)).toEqual(["a"]);
    // The blocked request's late connection was closed too: nothing blocks a later upgrade.
    db.close();
    expect(await openExpectingNoBlock(factory, DB_VERSION + 1)).toEqual({ blocked: false });
  });

  it("reopens a connection closed behind its back and retries the operation once", async () => {
    const { factory, connections } = recordingFactory();
    const db = open({ factory });
    await put(db, "a");
    connections[0]!.close(); // as Safari does to a backgrounded page: no event
    await put(db, "b");
    expect(await ids(db)).toEqual(["a", "b"]);
    expect(connections).toHaveLength(2);
  });

  it("drops a connection the browser force-closed at once, without a failed attempt", async () => {
    const { factory, connections } = recordingFactory();
    const logger = { ...silentLogger, warn: vi.fn() };
    const db = open({ factory, logger });
    await put(db, "a");
    // fake-indexeddb types its parameter oddly (typeof FDBDatabase).
    forceCloseDatabase(connections[0]! as never); // fires "close", as clearing site data does
    expect(await ids(db)).toEqual(["a"]);
    expect(connections).toHaveLength(2);
    const warnings = logger.warn.mock.calls.map(([message]) => message);
    expect(warnings).toEqual(["IndexedDB connection closed by the browser"]);
  });

  it("tells onConnectionLost why its connection went: closed by the browser, database deleted, upgraded elsewhere", async () => {
    const { factory, connections } = recordingFactory();
    const reasons: string[] = [];
    const db = open({ factory, onConnectionLost: (reason) => reasons.push(reason) });
    await put(db, "a");
    forceCloseDatabase(connections[0]! as never);
    expect(reasons).toEqual(["closed"]);

    await put(db, "b");
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(DB_NAME);
      request.onblocked = () => reject(new Error("delete was blocked"));
      request.onsuccess = () => resolve();
    });
    expect(reasons).toEqual(["closed", "deleted"]);

    await put(db, "c");
    expect(await openExpectingNoBlock(factory, DB_VERSION + 1)).toEqual({ blocked: false });
    expect(reasons).toEqual(["closed", "deleted", "versionchange"]);
  });

  it("retries only once: a connection that dies again fails the operation", async () => {
    const { factory, connections } = recordingFactory({ closeEveryConnection: true });
    const db = open({ factory });
    await expect(put(db, "a")).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
    expect(connections).toHaveLength(2);
  });

  it("times out a write that never completes, rolls it back and recovers", async () => {
    const factory = new IDBFactory();
    const db = open({ factory, writeTimeoutMs: 50 });
    const hung = db.run("readwrite", ["publications"], async (tx) => {
      const store = tx.objectStore("publications");
      await store.put(record("never"));
      // Keep the transaction busy for ever, like one stuck at the quota on iOS.
      const spin = (): void => {
        try {
          store.count().then(spin, () => {});
        } catch {
          // The transaction was aborted: stop.
        }
      };
      spin();
      return "finished";
    });
    await expect(hung).rejects.toSatisfy((e) => StorageError.is(e, "timeout"));
    expect(await ids(db)).toEqual([]);
    await put(db, "later");
    expect(await ids(db)).toEqual(["later"]);
  });

  it("turns a QuotaExceededError into StorageError('quota-exceeded')", async () => {
    const db = open({ factory: new IDBFactory() });
    const result = db.run("readwrite", ["publications"], async () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });
    await expect(result).rejects.toSatisfy((e) => StorageError.is(e, "quota-exceeded"));
  });

  it("aborts the transaction when the operation fails: nothing it wrote is kept", async () => {
    const db = open({ factory: new IDBFactory() });
    const failing = db.run("readwrite", ["publications"], async (tx) => {
      await tx.objectStore("publications").put(record("half"));
      throw new Error("decided not to");
    });
    await expect(failing).rejects.toSatisfy(
      (e) => StorageError.is(e, "unavailable") && (e.cause as Error).message === "decided not to",
    );
    expect(await ids(db)).toEqual([]);
  });

  it("passes a StorageError from the operation on unchanged", async () => {
    const db = open({ factory: new IDBFactory() });
    const own = new StorageError("corrupt", "bad record");
    await expect(db.run("readonly", ["publications"], async () => Promise.reject(own))).rejects.toBe(own);
  });

  it("is closed for good by close(), even while opening", async () => {
    const factory = new IDBFactory();
    const db = open({ factory });
    const first = put(db, "a");
    db.close();
    await expect(first).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
    await expect(ids(db)).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
    expect(await openExpectingNoBlock(factory, DB_VERSION + 1)).toEqual({ blocked: false });
  });
});
