/**
 * Bundled by the storage-contract e2e test and injected into a page of the
 * app's origin, or run in a dedicated worker of it: runs the
 * framework-free storage contract against the IndexedDB storage and the
 * OPFS file storage in real Chromium — the OPFS one as an embedder imports
 * it, from the `pubcache-web/storage` entry.
 */
import { storageContractCases } from "../../src/storage/contract/storage-contract.js";
import { createFileStorage, opfsDirectoryAt } from "../../src/entries/storage.js";
import type { PublicationStorage } from "../../src/core/publication-storage.js";
import { openPubCacheDatabase } from "../../src/storage/idb/database.js";
import { createIdbStorage } from "../../src/storage/idb/idb-storage.js";

export interface ContractResult {
  readonly storage: string;
  readonly name: string;
  readonly error?: string;
}

let counter = 0;
const unique = () => `contract-${Date.now()}-${counter++}`;

const storages: Record<string, () => Promise<PublicationStorage>> = {
  indexeddb: async () => createIdbStorage(openPubCacheDatabase({ name: unique() }), { server: "http://127.0.0.1:1", device: "d" }),
  opfs: async () => createFileStorage(opfsDirectoryAt(["contract", unique()])),
};

/** Runs every contract case against each storage named (default: all). */
export async function runStorageContract(names: readonly string[] = Object.keys(storages)): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  for (const [storage, make] of Object.entries(storages).filter(([name]) => names.includes(name))) {
    for (const contractCase of storageContractCases) {
      try {
        await contractCase.run(make);
        results.push({ storage, name: contractCase.name });
      } catch (error) {
        results.push({ storage, name: contractCase.name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    }
  }
  return results;
}
