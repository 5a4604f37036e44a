import type { Clock } from "../../core/clock.js";
import { systemClock } from "../../platform/system-clock.js";
import { StorageError } from "../../core/storage-error.js";
import type { PubCacheDatabase } from "./database.js";
import type { SubscriptionRecord } from "./schema.js";
import { scopeKey, type StorageScope } from "../storage-scope.js";

export type { SubscriptionRecord };

/** A publication to keep pulling: its scope plus its id. */
export interface Subscription extends StorageScope {
  readonly id: string;
}

/**
 * The publications the service worker keeps in sync, persisted so that a
 * worker the browser stopped resumes every pull on restart, without waiting
 * for a page. Holds no credentials.
 */
export interface SubscriptionStore {
  /** Adds the subscription, or refreshes its `updatedAt`. Rejects an empty id as `invalid`. */
  put(subscription: Subscription): Promise<void>;
  /** Removes it; resolves to whether it was there. */
  remove(scope: StorageScope, id: string): Promise<boolean>;
  /** Every subscription of every scope, in no particular order. */
  list(): Promise<SubscriptionRecord[]>;
  /** Removes every subscription of `scope` (e.g. on sign-out); resolves to how many. */
  clearScope(scope: StorageScope): Promise<number>;
}

export interface SubscriptionStoreOptions {
  /** Stamps `updatedAt`; default the system clock. */
  readonly clock?: Clock;
}

/** The {@link SubscriptionStore} in the shared pubcache database. */
export function createSubscriptionStore(
  db: PubCacheDatabase,
  options: SubscriptionStoreOptions = {},
): SubscriptionStore {
  const clock = options.clock ?? systemClock;
  return {
    async put(subscription) {
      if (subscription.id === "") throw new StorageError("invalid", "cannot subscribe to an empty publication id");
      const record: SubscriptionRecord = {
        scopeKey: scopeKey(subscription),
        server: subscription.server,
        device: subscription.device,
        // Normalised as scopeKey does: "" and undefined are both "no partition".
        partition: subscription.partition || undefined,
        id: subscription.id,
        updatedAt: clock.now(),
      };
      await db.run("readwrite", ["subscriptions"], async (tx) => {
        await tx.objectStore("subscriptions").put(record);
      });
    },

    async remove(scope, id) {
      const key: [string, string] = [scopeKey(scope), id];
      return db.run("readwrite", ["subscriptions"], async (tx) => {
        const present = (await tx.objectStore("subscriptions").count(key)) > 0;
        if (present) await tx.objectStore("subscriptions").delete(key);
        return present;
      });
    },

    async list() {
      return db.run("readonly", ["subscriptions"], (tx) => tx.objectStore("subscriptions").getAll());
    },

    async clearScope(scope) {
      return db.run("readwrite", ["subscriptions"], async (tx) => {
        const keys = await tx.objectStore("subscriptions").index("scopeKey").getAllKeys(scopeKey(scope));
        await Promise.all(keys.map((k) => tx.objectStore("subscriptions").delete(k)));
        return keys.length;
      });
    },
  };
}
