// Helpers for the IndexedDB specs (Node, fake-indexeddb). Not part of the app.
import { IDBFactory } from "fake-indexeddb";
import type { IDBPDatabase } from "idb";
import { openConnection } from "../connection.js";
import { DB_NAME, DB_VERSION, type PubCacheDB } from "../schema.js";

/**
 * A fresh fake IndexedDB whose `open` remembers every connection it hands
 * out, so a test can close one behind the handle's back (as Safari does).
 */
export function recordingFactory(options: { closeEveryConnection?: boolean } = {}): {
  factory: IDBFactory;
  connections: IDBDatabase[];
} {
  const inner = new IDBFactory();
  const connections: IDBDatabase[] = [];
  const factory = new Proxy(inner, {
    get(target, prop) {
      if (prop === "open") {
        return (name: string, version?: number) => {
          const request = target.open(name, version);
          request.addEventListener("success", () => {
            connections.push(request.result);
            // A connection that is dead on arrival, as after a Safari background drop.
            if (options.closeEveryConnection) request.result.close();
          });
          return request;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { factory, connections };
}

/**
 * A raw connection at `version` with the real upgrade steps and no
 * versionchange handling: it plays "another tab" that holds on.
 */
export function openRaw(factory: IDBFactory, version = DB_VERSION, name = DB_NAME): Promise<IDBPDatabase<PubCacheDB>> {
  return openConnection({ factory, name, version });
}
