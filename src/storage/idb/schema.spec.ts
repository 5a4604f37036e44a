import { create, toBinary } from "@bufbuild/protobuf";
import { IDBFactory } from "fake-indexeddb";
import type { IDBPDatabase } from "idb";
import { afterEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "./database.js";
import { createIdbStorage } from "./idb-storage.js";
import { DB_NAME, DB_VERSION, type PubCacheDB } from "./schema.js";
import { scopeKey } from "../storage-scope.js";
import { createSubscriptionStore } from "./subscription-store.js";
import { openRaw } from "./testing/idb-test-support.js";

const scope = { server: "https://bms.example", device: "site/floor-3" };
const other = { server: "https://bms.example", device: "site/floor-4" };

const handles: PubCacheDatabase[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));
function open(factory: IDBFactory): PubCacheDatabase {
  const db = openPubCacheDatabase({ factory });
  handles.push(db);
  return db;
}

/** The shape of a database: stores with key paths, indexes with theirs. */
function shape(db: IDBPDatabase<PubCacheDB>) {
  const tx = db.transaction([...db.objectStoreNames], "readonly");
  return [...db.objectStoreNames].map((name) => {
    const store = tx.objectStore(name);
    return {
      name,
      keyPath: store.keyPath,
      indexes: [...store.indexNames].map((index) => ({ index, keyPath: store.index(index).keyPath })),
    };
  });
}

describe("pubcache schema", () => {
  it("is database 'pubcache' at version 5", () => {
    expect(DB_NAME).toBe("pubcache");
    expect(DB_VERSION).toBe(5);
  });

  it("has, at each version, exactly the stores and indexes its steps add", async () => {
    const shapes = [];
    for (const version of [1, 2, 3, 4, 5]) {
      const db = await openRaw(new IDBFactory(), version);
      shapes.push(shape(db));
      db.close();
    }
    const publications = { name: "publications", keyPath: ["scopeKey", "id"], indexes: [{ index: "scopeKey", keyPath: "scopeKey" }] };
    expect(shapes[0]).toEqual([publications]);
    expect(shapes[1]).toEqual([publications, { name: "subscriptions", keyPath: ["scopeKey", "id"], indexes: [] }]);
    const subscriptions = { name: "subscriptions", keyPath: ["scopeKey", "id"], indexes: [{ index: "scopeKey", keyPath: "scopeKey" }] };
    expect(shapes[2]).toEqual([publications, subscriptions]);
    const receipts = { name: "receipts", keyPath: ["server", "key"], indexes: [{ index: "server", keyPath: "server" }] };
    expect(shapes[3]).toEqual([publications, receipts, subscriptions]);
    expect(shapes[4]).toEqual([{ name: "meta", keyPath: "key", indexes: [] }, publications, receipts, subscriptions]);
  });

  it("reaches the same shape step by step as in one go", async () => {
    const factory = new IDBFactory();
    for (const version of [1, 2, 3, 4, 5]) (await openRaw(factory, version)).close();
    const stepwise = await openRaw(factory, 5);
    const direct = await openRaw(new IDBFactory(), 5);
    expect(shape(stepwise)).toEqual(shape(direct));
    stepwise.close();
    direct.close();
  });

  it("keeps publications written at v1 through the upgrade to v3", async () => {
    const factory = new IDBFactory();
    const v1 = await openRaw(factory, 1);
    const value = create(PublicationSchema, { id: "old", version: "v-old", body: new Uint8Array([1, 2, 3]) });
    await v1.put("publications", {
      scopeKey: scopeKey(scope),
      id: "old",
      bytes: toBinary(PublicationSchema, value),
      version: "v-old",
      publishTimeMs: undefined,
      storedAt: 1234,
    });
    v1.close();

    const db = open(factory);
    const storage = createIdbStorage(db, scope);
    expect(await storage.list()).toEqual(["old"]);
    const entry = await storage.loadEntry("old");
    expect(entry.publication.body).toEqual(new Uint8Array([1, 2, 3]));
    expect(entry.storedAt).toBe(1234);
    // The stores v2 and v3 added work too.
    const subscriptions = createSubscriptionStore(db);
    await subscriptions.put({ ...scope, id: "old" });
    expect((await subscriptions.list()).map((s) => s.id)).toEqual(["old"]);
  });

  it("indexes subscriptions written at v2 when v3 adds the scope index", async () => {
    const factory = new IDBFactory();
    const v2 = await openRaw(factory, 2);
    for (const [s, id] of [[scope, "a"], [scope, "b"], [other, "a"]] as const) {
      await v2.put("subscriptions", { scopeKey: scopeKey(s), ...s, partition: undefined, id, updatedAt: 1 });
    }
    v2.close();

    const subscriptions = createSubscriptionStore(open(factory));
    expect(await subscriptions.clearScope(scope)).toBe(2);
    expect((await subscriptions.list()).map((s) => [s.device, s.id])).toEqual([["site/floor-4", "a"]]);
  });
});
