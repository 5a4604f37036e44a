import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from "idb";

/** The database every tab and the service worker share, one per origin. */
export const DB_NAME = "pubcache";

/** The schema version `openPubCacheDatabase` opens; see {@link upgradePubCacheDB}. */
export const DB_VERSION = 5;

/**
 * A cached publication: the binary protobuf exactly as received (so fields
 * this app version does not know survive, and an app upgrade never has to
 * reshape cached data) plus a small envelope that can be read without
 * decoding. Keys and indexed fields are strings only: a bigint is not a
 * valid key, and an index over one silently skips the record.
 */
export interface PublicationRecord {
  readonly scopeKey: string;
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly version: string;
  /** `publish_time` in ms since the epoch, when the server set one. */
  readonly publishTimeMs: number | undefined;
  /** When this record was written (ms since the epoch). */
  readonly storedAt: number;
}

/**
 * A publication some page asked for, so a service worker that the browser
 * stopped and restarted can resume every pull without waiting for a page.
 */
export interface SubscriptionRecord {
  readonly scopeKey: string;
  readonly server: string;
  readonly device: string;
  readonly partition: string | undefined;
  readonly id: string;
  /** When a page last (re)subscribed (ms since the epoch). */
  readonly updatedAt: number;
}

/**
 * A screen's acknowledgement waiting to be sent, or sent recently (so it is
 * never sent twice): the core's outbox entry, keyed by server.
 */
export interface ReceiptRecord {
  readonly server: string;
  readonly key: string;
  /** The core's `OutboxEntry`, as structured clone keeps it. */
  readonly entry: unknown;
}

/**
 * The database's identity: planted by the host when it finds none, so that
 * a database cleared or deleted and then recreated (by any tab's next open)
 * is told apart from the one the host wrote its values into.
 */
export interface MarkerRecord {
  readonly key: "marker";
  /** Random, new for every planting. */
  readonly id: string;
  /** When it was planted (ms since the epoch). */
  readonly plantedAt: number;
}

/**
 * When the host last heard one server, and whether it lost it since (the
 * host's `ServerContact`): kept so "Offline since" survives a reload or a
 * reboot. Key `contact:<server>`; in the `meta` store, beside the marker.
 */
export interface ServerContactRecord {
  readonly key: `contact:${string}`;
  readonly server: string;
  readonly heardAt?: number;
  readonly lostAt?: number;
}

export interface PubCacheDB extends DBSchema {
  publications: {
    key: [scopeKey: string, id: string];
    value: PublicationRecord;
    indexes: { scopeKey: string };
  };
  subscriptions: {
    key: [scopeKey: string, id: string];
    value: SubscriptionRecord;
    indexes: { scopeKey: string };
  };
  receipts: {
    key: [server: string, key: string];
    value: ReceiptRecord;
    indexes: { server: string };
  };
  meta: {
    key: string;
    value: MarkerRecord | ServerContactRecord;
  };
}

export type PubCacheStoreName = StoreNames<PubCacheDB>;

/**
 * Brings a database from `oldVersion` to `newVersion`, one step per version,
 * Firestore style: each `if` block is the whole migration to that version and
 * is never edited once released (add a new block instead), so a database
 * skipped over several releases walks the same path as one upgraded each time.
 * Runs inside the `versionchange` transaction; anything it throws aborts the
 * upgrade and leaves the old version intact.
 */
export function upgradePubCacheDB(
  db: IDBPDatabase<PubCacheDB>,
  oldVersion: number,
  newVersion: number,
  tx: IDBPTransaction<PubCacheDB, PubCacheStoreName[], "versionchange">,
): void {
  if (oldVersion < 1 && newVersion >= 1) {
    // v1: the cached values, one record per (scope, id); the index lists or
    // clears one scope without scanning the others.
    const publications = db.createObjectStore("publications", { keyPath: ["scopeKey", "id"] });
    publications.createIndex("scopeKey", "scopeKey");
  }
  if (oldVersion < 2 && newVersion >= 2) {
    // v2: what the service worker must keep pulling after a restart.
    db.createObjectStore("subscriptions", { keyPath: ["scopeKey", "id"] });
  }
  if (oldVersion < 3 && newVersion >= 3) {
    // v3: clearing one partition's subscriptions (sign-out) without a scan.
    // Creating an index indexes the records already there.
    tx.objectStore("subscriptions").createIndex("scopeKey", "scopeKey");
  }
  if (oldVersion < 4 && newVersion >= 4) {
    // v4: acknowledgements that wait for the network (or were sent lately).
    const receipts = db.createObjectStore("receipts", { keyPath: ["server", "key"] });
    receipts.createIndex("server", "server");
  }
  if (oldVersion < 5 && newVersion >= 5) {
    // v5: the database's marker (see MarkerRecord), so a wipe while running is noticed.
    db.createObjectStore("meta", { keyPath: "key" });
  }
}
