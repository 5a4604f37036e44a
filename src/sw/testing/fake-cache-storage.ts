/**
 * Cache Storage in memory, for Node specs of the worker's precache healing:
 * `open`, and on a cache `keys`, `put` and `match` by URL (what healing and
 * Workbox's lookups use). `wipe()` plays "Clear site data".
 */
export class FakeCacheStorage {
  readonly #caches = new Map<string, Map<string, Response>>();

  async open(name: string): Promise<Cache> {
    let entries = this.#caches.get(name);
    if (!entries) this.#caches.set(name, (entries = new Map()));
    const store = entries;
    const urlOf = (key: RequestInfo | URL) => (typeof key === "string" ? key : key instanceof URL ? key.href : key.url);
    const cache: Partial<Cache> = {
      keys: async () => [...store.keys()].map((url) => new Request(url)),
      put: async (key, response) => void store.set(urlOf(key), response),
      match: async (key) => store.get(urlOf(key))?.clone(),
    };
    return cache as Cache;
  }

  /** The URLs held in cache `name`. */
  urls(name: string): string[] {
    return [...(this.#caches.get(name)?.keys() ?? [])];
  }

  /** Every cache goes, as when site data is cleared. */
  wipe(): void {
    this.#caches.clear();
  }
}
