import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import { idbClearStorage, idbSubscriptionRegistry } from "./idb-registry.js";

const server = "http://127.0.0.1:7000";

describe("IndexedDB subscription registry", () => {
  it("persists refs of every partition (the default one included) and clears one scope", async () => {
    const db = openPubCacheDatabase({ factory: new IDBFactory() });
    const registry = idbSubscriptionRegistry(db);
    await registry.put({ server, device: "d", partition: "", id: "a" });
    await registry.put({ server, device: "d", partition: "alice", id: "a" });
    await registry.put({ server, device: "d", partition: "alice", id: "b" });
    const byKey = (refs: Array<{ partition: string; id: string }>) => refs.map((r) => `${r.partition}/${r.id}`).sort();
    expect(byKey(await registry.list())).toEqual(["/a", "alice/a", "alice/b"]);

    await registry.remove({ server, device: "d", partition: "alice", id: "b" });
    await registry.clearScope({ server, device: "d", partition: "" });
    expect(await registry.list()).toEqual([{ server, device: "d", partition: "alice", id: "a" }]);
    db.close();
  });

  it("clears the stored values of one scope only", async () => {
    const db = openPubCacheDatabase({ factory: new IDBFactory() });
    const alice = createIdbStorage(db, { server, device: "d", partition: "alice" });
    const bob = createIdbStorage(db, { server, device: "d", partition: "bob" });
    for (const storage of [alice, bob]) await storage.store(create(PublicationSchema, { id: "n", version: "v" }));
    await idbClearStorage(db)({ server, device: "d", partition: "alice" });
    expect(await alice.list()).toEqual([]);
    expect(await bob.list()).toEqual(["n"]);
    db.close();
  });
});
