import { forceCloseDatabase, IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { openPubCacheDatabase, type PubCacheDatabase } from "./database.js";
import { plantMarker, readMarker } from "./database-marker.js";
import { DB_NAME } from "./schema.js";
import { recordingFactory } from "./testing/idb-test-support.js";

const handles: PubCacheDatabase[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));
const open = (factory: IDBFactory) => {
  const db = openPubCacheDatabase({ factory });
  handles.push(db);
  return db;
};

describe("database marker", () => {
  it("is absent in a new database; planted once, it is what every connection reads", async () => {
    const factory = new IDBFactory();
    const db = open(factory);
    expect(await readMarker(db)).toBeUndefined();
    expect(await plantMarker(db, { id: "one", plantedAt: 10 })).toEqual({ id: "one", plantedAt: 10 });
    // A second planting (another host, a race) keeps the first.
    expect(await plantMarker(open(factory), { id: "two", plantedAt: 20 })).toEqual({ id: "one", plantedAt: 10 });
    expect(await readMarker(open(factory))).toEqual({ id: "one", plantedAt: 10 });
  });

  it("is gone once the database is deleted and recreated (as after clearing site data)", async () => {
    const { factory, connections } = recordingFactory();
    const db = open(factory);
    await plantMarker(db, { id: "one", plantedAt: 10 });
    forceCloseDatabase(connections[0]! as never);
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(DB_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    expect(await readMarker(db)).toBeUndefined();
  });
});
