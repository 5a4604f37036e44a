import type { Page } from "@playwright/test";

/** What the page's `pubcache` IndexedDB database holds, read directly (not through our code). */
export interface StoredData {
  /** `false`: there is no such database right now. */
  readonly exists: boolean;
  /** Publication id → stored version. */
  readonly versions: Record<string, string>;
  /** Ids of the persisted subscriptions. */
  readonly subscriptions: string[];
  /** The host's marker id, if planted. */
  readonly marker: string | undefined;
}

/**
 * Reads the page's cache database without ever creating one: an open that
 * would create it (version 0) is aborted in its upgrade, which leaves no
 * database behind. (A plain `indexedDB.open("pubcache")` of a missing
 * database would create an empty version 1, which the app's next open would
 * then upgrade from 1 — without the stores version 1 creates.)
 */
export function readStoredData(page: Page): Promise<StoredData> {
  return page.evaluate(
    () =>
      new Promise<StoredData>((resolve, reject) => {
        const none: StoredData = { exists: false, versions: {}, subscriptions: [], marker: undefined };
        const open = indexedDB.open("pubcache");
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = (event) => {
          event.preventDefault();
          if (open.error?.name === "AbortError") resolve(none);
          else reject(open.error ?? new Error("open failed"));
        };
        open.onsuccess = () => {
          const db = open.result;
          const stores = ["publications", "subscriptions", "meta"].filter((name) => db.objectStoreNames.contains(name));
          const tx = db.transaction(stores, "readonly");
          const all = (name: string) =>
            new Promise<unknown[]>((done, fail) => {
              if (!stores.includes(name)) return done([]);
              const request = tx.objectStore(name).getAll();
              request.onsuccess = () => done(request.result);
              request.onerror = () => fail(request.error);
            });
          Promise.all([all("publications"), all("subscriptions"), all("meta")]).then(
            ([publications, subscriptions, meta]) => {
              db.close();
              resolve({
                exists: true,
                versions: Object.fromEntries((publications as Array<{ id: string; version: string }>).map((r) => [r.id, r.version])),
                subscriptions: (subscriptions as Array<{ id: string }>).map((r) => r.id).sort(),
                marker: (meta as Array<{ key: string; id: string }>).find((r) => r.key === "marker")?.id,
              });
            },
            (error: unknown) => {
              db.close();
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        };
      }),
  );
}
