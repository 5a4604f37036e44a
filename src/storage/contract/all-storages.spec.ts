import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, it } from "vitest";
import { storageContractCases } from "./storage-contract.js";
import { createFileStorage } from "../file/file-storage.js";
import { FakeDirectoryHandle } from "../file/testing/fake-opfs.js";
import { nodeDirectory } from "../file/node-directory.js";
import { opfsDirectory } from "../file/opfs-directory.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "../idb/database.js";
import { createIdbStorage } from "../idb/idb-storage.js";
import { openLmdbDatabase } from "../lmdb/lmdb-database.js";
import { createLmdbStorage } from "../lmdb/lmdb-storage.js";
import { createMemoryStorage } from "../memory/memory-storage.js";
import type { PublicationStorage } from "../../core/publication-storage.js";

// Whatever a case opened, closed or removed after it.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const implementations: ReadonlyArray<{ name: string; make: () => Promise<PublicationStorage> }> = [
  { name: "memory", make: async () => createMemoryStorage() },
  {
    name: "IndexedDB (fake-indexeddb)",
    make: async () => {
      const db: PubCacheDatabase = openPubCacheDatabase({ factory: new IDBFactory() });
      cleanups.push(() => db.close());
      return createIdbStorage(db, { server: "https://bms.example", device: "site/floor-3" });
    },
  },
  {
    name: "file (Node fs)",
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), "pubcache-contract-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return createFileStorage(nodeDirectory(join(dir, "publications")));
    },
  },
  {
    name: "LMDB (one sub-database per scope)",
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), "pubcache-contract-lmdb-"));
      const database = openLmdbDatabase({ path: join(dir, "publications.mdb") });
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      cleanups.push(() => database.close());
      return createLmdbStorage(database, { server: "https://bms.example", device: "site/floor-3" });
    },
  },
  {
    // The real OPFS runs only in a browser (the end-to-end suite runs these
    // cases in Chromium); here the same code runs over a spec-following fake.
    name: "file (OPFS directory over a fake OPFS)",
    make: async () => createFileStorage(opfsDirectory(new FakeDirectoryHandle().asHandle())),
  },
];

for (const implementation of implementations) {
  describe(`storage contract: ${implementation.name}`, () => {
    for (const contractCase of storageContractCases) {
      it(contractCase.name, () => contractCase.run(implementation.make));
    }
  });
}
