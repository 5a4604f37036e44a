import type { PubCacheDatabase } from "./database.js";
import type { MarkerRecord } from "./schema.js";

/** The identity of one incarnation of the database; see `MarkerRecord`. */
export interface DatabaseMarker {
  readonly id: string;
  readonly plantedAt: number;
}

/**
 * The database's marker, or `undefined` when it has none: a database that
 * was never marked, or one cleared or deleted and recreated since. One
 * read-only transaction over one record — cheap enough to repeat every few
 * seconds.
 */
export async function readMarker(db: PubCacheDatabase): Promise<DatabaseMarker | undefined> {
  const record = await db.run("readonly", ["meta"], (tx) => tx.objectStore("meta").get("marker"));
  return record && "id" in record ? { id: record.id, plantedAt: record.plantedAt } : undefined;
}

/**
 * Plants `marker` unless the database has one already; resolves to the
 * marker the database holds afterwards (in one transaction, so two writers
 * racing end with the same answer).
 */
export async function plantMarker(db: PubCacheDatabase, marker: DatabaseMarker): Promise<DatabaseMarker> {
  return db.run("readwrite", ["meta"], async (tx) => {
    const store = tx.objectStore("meta");
    const present = await store.get("marker");
    if (present && "id" in present) return { id: present.id, plantedAt: present.plantedAt };
    const record: MarkerRecord = { key: "marker", id: marker.id, plantedAt: marker.plantedAt };
    await store.put(record);
    return marker;
  });
}
