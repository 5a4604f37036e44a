import type { PubCacheDatabase } from "./database.js";
import type { ServerContactRecord } from "./schema.js";

/** What is stored of one server's contact (the host's `ServerContact`, structurally). */
export interface StoredServerContact {
  readonly server: string;
  readonly heardAt?: number;
  readonly lostAt?: number;
}

const PREFIX = "contact:";

/** The contacts the host stored (see `ServerContactRecord`), in the `meta` store. */
export async function loadServerContacts(db: PubCacheDatabase): Promise<StoredServerContact[]> {
  const range = IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`);
  const records = await db.run("readonly", ["meta"], (tx) => tx.objectStore("meta").getAll(range));
  return records.flatMap((record) => {
    if (!("server" in record) || typeof record.server !== "string") return [];
    return [{ server: record.server, ...(typeof record.heardAt === "number" && { heardAt: record.heardAt }), ...(typeof record.lostAt === "number" && { lostAt: record.lostAt }) }];
  });
}

/** Stores one server's contact, replacing what was stored of it. */
export async function saveServerContact(db: PubCacheDatabase, contact: StoredServerContact): Promise<void> {
  const record: ServerContactRecord = { key: `${PREFIX}${contact.server}`, ...contact };
  await db.run("readwrite", ["meta"], async (tx) => {
    await tx.objectStore("meta").put(record);
  });
}
