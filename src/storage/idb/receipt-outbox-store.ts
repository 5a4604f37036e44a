import type { OutboxEntry, ReceiptOutbox } from "../../core/receipts/receipt-outbox.js";
import type { PubCacheDatabase } from "./database.js";
import type { ReceiptRecord } from "./schema.js";

/**
 * The core's {@link ReceiptOutbox} for one server in the shared pubcache
 * database, so an acknowledgement made offline survives a reload and a
 * worker restart. Records that do not look like entries (written by another
 * version, or tampered with) are skipped, not trusted.
 */
export function createIdbReceiptOutbox(db: PubCacheDatabase, server: string): ReceiptOutbox {
  return {
    async list() {
      const records = await db.run("readonly", ["receipts"], (tx) => tx.objectStore("receipts").index("server").getAll(server));
      return records.map((record) => record.entry).filter(isOutboxEntry);
    },
    async put(entry) {
      const record: ReceiptRecord = { server, key: entry.key, entry };
      await db.run("readwrite", ["receipts"], async (tx) => {
        await tx.objectStore("receipts").put(record);
      });
    },
    async delete(key) {
      await db.run("readwrite", ["receipts"], async (tx) => {
        await tx.objectStore("receipts").delete([server, key]);
      });
    },
  };
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.key === "string" &&
    typeof entry.device === "string" &&
    typeof entry.id === "string" &&
    entry.id !== "" &&
    typeof entry.version === "string" &&
    (entry.receipt === "accepted" || entry.receipt === "rejected") &&
    (entry.status === "pending" || entry.status === "sent" || entry.status === "refused") &&
    typeof entry.updatedAt === "number"
  );
}

/** The servers that have records in the outbox (a restarted host resumes their senders). */
export async function receiptOutboxServers(db: PubCacheDatabase): Promise<string[]> {
  const keys = await db.run("readonly", ["receipts"], (tx) => tx.objectStore("receipts").getAllKeys());
  return [...new Set(keys.map(([server]) => server))];
}
