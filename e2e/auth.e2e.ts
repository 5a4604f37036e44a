import { expect, test, type Page } from "@playwright/test";
import { appUrl, expectControlled, expectShown, publication, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

const TOKEN = "tok-3f9a1c7e-never-persist-me";

test("8. a token server: needs-auth until the page supplies the token; the token is nowhere in IndexedDB or Cache Storage", async ({
  context,
  page,
}) => {
  const server = await DevServer.start({ token: TOKEN });
  try {
    const v1 = await publish(server.url, "secret-plan", "evacuate via stair B", { token: TOKEN });
    await page.goto(appUrl({ server: server.url, ids: ["secret-plan"] }));
    await expectControlled(page);
    await expect(publication(page, "secret-plan")).toHaveAttribute("data-state", "needs-auth");
    await expect(publication(page, "secret-plan")).toHaveAttribute("data-version", "");

    await page.evaluate((token) => window.pubcacheApp.setToken(token), TOKEN);
    await expectShown(page, "secret-plan", { version: v1, state: "live", text: "evacuate via stair B" });

    // A restarted worker has no token (memory only): it asks the page again.
    await stopAllServiceWorkers(context, page);
    const v2 = await publish(server.url, "secret-plan", "evacuate via stair C", { token: TOKEN });
    await expectShown(page, "secret-plan", { version: v2, state: "live", text: "evacuate via stair C" });

    const persisted = await everythingPersisted(page);
    expect(persisted).toContain(v2); // the scan does see stored data…
    expect(persisted).not.toContain(TOKEN); // …and no token among it
  } finally {
    await server.dispose();
  }
});

/** Every IndexedDB record and every Cache Storage entry (URL, headers, body) of the origin, as one string. */
function everythingPersisted(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    const text = (value: unknown): string =>
      JSON.stringify(value, (_key, v: unknown) =>
        v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder("latin1").decode(v) : v,
      );
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const records = await new Promise<unknown[]>((resolve, reject) => {
          const all = db.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        });
        parts.push(text(records));
      }
      db.close();
    }
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        parts.push(request.url, text([...request.headers]));
        const response = await cache.match(request);
        if (response) parts.push(text([...response.headers]), await response.text());
      }
    }
    return parts.join("\n");
  });
}
