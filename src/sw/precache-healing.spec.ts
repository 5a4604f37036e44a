import { describe, expect, it } from "vitest";
import { createRecoveryLog } from "../host/recovery-log.js";
import { manualClock } from "../host/testing/host-fakes.js";
import { createPrecacheHealing } from "./precache-healing.js";
import { FakeCacheStorage } from "./testing/fake-cache-storage.js";

const CACHE = "workbox-precache-v2-https://app.example/";
const ENTRIES = new Map([
  ["https://app.example/index.html", "https://app.example/index.html?__WB_REVISION__=abc123"],
  ["https://app.example/assets/index-Bq3xY8aZ.js", "https://app.example/assets/index-Bq3xY8aZ.js"],
  ["https://app.example/icon-192.png", "https://app.example/icon-192.png?__WB_REVISION__=def456"],
]);

function setup() {
  const caches = new FakeCacheStorage();
  const clock = manualClock();
  const recoveries = createRecoveryLog();
  const requests: Array<{ url: string; cache: RequestCache }> = [];
  const network = { offline: false, status: 200 };
  const healing = createPrecacheHealing({
    precache: { strategy: { cacheName: CACHE }, getURLsToCacheKeys: () => ENTRIES, getIntegrityForCacheKey: () => undefined },
    caches,
    clock,
    recoveries,
    fetch: async (request) => {
      requests.push({ url: request.url, cache: request.cache });
      if (network.offline) throw new TypeError("Failed to fetch");
      return new Response(`body of ${new URL(request.url).pathname}`, { status: network.status });
    },
  });
  const install = async () => {
    const cache = await caches.open(CACHE);
    for (const key of ENTRIES.values()) await cache.put(key, new Response("installed"));
  };
  return { caches, clock, recoveries, requests, network, healing, install };
}

describe("precache healing", () => {
  it("leaves an intact precache alone: no fetch, nothing recorded", async () => {
    const { healing, install, requests, recoveries } = setup();
    await install();
    await healing.check(true);
    expect(requests).toEqual([]);
    expect(recoveries.entries()).toEqual([]);
  });

  it("fetches every lost file back under its cache key, as Workbox's install would, and records it", async () => {
    const { healing, install, caches, clock, requests, recoveries } = setup();
    await install();
    caches.wipe();
    const at = clock.now();
    await healing.check(true);
    expect(caches.urls(CACHE).sort()).toEqual([...ENTRIES.values()].sort());
    const shell = await (await caches.open(CACHE)).match("https://app.example/index.html?__WB_REVISION__=abc123");
    expect(await shell?.text()).toBe("body of /index.html");
    // Revisioned entries bypass the HTTP cache; hashed file names need not.
    expect(requests.map((r) => [new URL(r.url).pathname, r.cache])).toEqual([
      ["/index.html", "reload"],
      ["/assets/index-Bq3xY8aZ.js", "default"],
      ["/icon-192.png", "reload"],
    ]);
    expect(recoveries.entries()).toEqual([{ storage: "app-files", detectedAt: at, restoredAt: at, restored: 3 }]);
  });

  it("offline: the loss is recorded and waits; once the network is back the same recovery completes", async () => {
    const { healing, install, caches, clock, network, recoveries } = setup();
    await install();
    caches.wipe();
    network.offline = true;
    const lostAt = clock.now();
    await healing.check(true);
    expect(recoveries.entries()).toEqual([{ storage: "app-files", detectedAt: lostAt, restored: 0 }]);
    expect(caches.urls(CACHE)).toEqual([]);

    clock.advance(120_000);
    network.offline = false;
    await healing.check(true);
    expect(recoveries.entries()).toEqual([{ storage: "app-files", detectedAt: lostAt, restoredAt: lostAt + 120_000, restored: 3 }]);
  });

  it("fetches only what is missing", async () => {
    const { healing, caches, requests, recoveries } = setup();
    const cache = await caches.open(CACHE);
    await cache.put("https://app.example/index.html?__WB_REVISION__=abc123", new Response("installed"));
    await cache.put("https://app.example/icon-192.png?__WB_REVISION__=def456", new Response("installed"));
    await healing.check(true);
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(["/assets/index-Bq3xY8aZ.js"]);
    expect(recoveries.entries()[0]?.restored).toBe(1);
  });

  it("an error answer is not cached: the recovery stays open", async () => {
    const { healing, caches, network, recoveries } = setup();
    network.status = 503;
    await healing.check(true);
    expect(caches.urls(CACHE)).toEqual([]);
    expect(recoveries.entries()[0]).toMatchObject({ restored: 0 });
    expect(recoveries.entries()[0]?.restoredAt).toBeUndefined();
  });

  it("looks at most once a minute unless forced", async () => {
    const { healing, caches, clock, requests } = setup();
    await healing.check();
    expect(requests).toHaveLength(3);
    caches.wipe();
    clock.advance(30_000);
    await healing.check();
    expect(requests).toHaveLength(3);
    clock.advance(30_000);
    await healing.check();
    expect(requests).toHaveLength(6);
    caches.wipe();
    await healing.check(true);
    expect(requests).toHaveLength(9);
  });
});
