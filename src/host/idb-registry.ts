import type { PubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import { createSubscriptionStore } from "../storage/idb/subscription-store.js";
import type { RefScope } from "../protocol/publication-ref.js";
import type { SubscriptionRegistry } from "./host-types.js";

/** The host's {@link SubscriptionRegistry} over the shared IndexedDB subscription store. */
export function idbSubscriptionRegistry(db: PubCacheDatabase): SubscriptionRegistry {
  const store = createSubscriptionStore(db);
  return {
    put: (ref) => store.put(ref),
    remove: async (ref) => void (await store.remove(ref, ref.id)),
    async list() {
      // Records written by an older or foreign version may lack fields: skip them.
      return (await store.list())
        .filter((r) => typeof r.server === "string" && typeof r.device === "string" && typeof r.id === "string" && r.id !== "")
        .map((r) => ({ server: r.server, device: r.device, id: r.id, partition: r.partition ?? "" }));
    },
    clearScope: async (scope) => void (await store.clearScope(scope)),
  };
}

/** Wipes the stored values of one scope in the shared database. */
export function idbClearStorage(db: PubCacheDatabase): (scope: RefScope) => Promise<void> {
  return async (scope) => void (await createIdbStorage(db, scope).clear());
}
