import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { openPubCacheDatabase } from "./database.js";
import { createIdbReceiptOutbox, receiptOutboxServers } from "./receipt-outbox-store.js";

const entry = (id: string, status: "pending" | "sent" = "pending") => ({
  key: `k-${id}`,
  device: "dev",
  id,
  version: "v1",
  publishTimeMs: 1,
  receipt: "accepted" as const,
  status,
  updatedAt: 5,
});

describe("IndexedDB receipt outbox", () => {
  it("keeps entries per server across reopening, and lists the servers that have some", async () => {
    const factory = new IDBFactory();
    const db = openPubCacheDatabase({ name: "outbox", factory });
    const a = createIdbReceiptOutbox(db, "https://a.example");
    const b = createIdbReceiptOutbox(db, "https://b.example");
    await a.put(entry("x"));
    await a.put(entry("y", "sent"));
    await b.put(entry("x"));
    await a.delete("k-y");
    db.close();

    const again = openPubCacheDatabase({ name: "outbox", factory });
    expect(await createIdbReceiptOutbox(again, "https://a.example").list()).toEqual([entry("x")]);
    expect((await receiptOutboxServers(again)).sort()).toEqual(["https://a.example", "https://b.example"]);
    again.close();
  });

  it("skips records that are not entries (another version wrote them, or someone tampered)", async () => {
    const factory = new IDBFactory();
    const db = openPubCacheDatabase({ name: "outbox-2", factory });
    await db.run("readwrite", ["receipts"], async (tx) => {
      await tx.objectStore("receipts").put({ server: "s", key: "bad", entry: { key: "bad", id: 7 } });
    });
    const outbox = createIdbReceiptOutbox(db, "s");
    await outbox.put(entry("ok"));
    expect(await outbox.list()).toEqual([entry("ok")]);
    db.close();
  });
});
