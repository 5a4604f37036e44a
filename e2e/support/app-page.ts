import { expect, type BrowserContext, type Page } from "@playwright/test";

export { appUrl, type AppQuery } from "./app-url.js";

/** The element showing one publication. */
export function publication(page: Page, id: string) {
  return page.locator(`[data-publication-id="${id}"]`);
}

/** Waits until the page shows `id` at `version` (and, if given, in `state` and with `text`). */
export async function expectShown(page: Page, id: string, expected: { version: string; state?: string; text?: string }) {
  const element = publication(page, id);
  await expect(element).toHaveAttribute("data-version", expected.version);
  if (expected.state) await expect(element).toHaveAttribute("data-state", expected.state);
  if (expected.text !== undefined) await expect(element.locator(".body")).toHaveText(expected.text);
}

/** Waits until a service worker controls the page. */
export async function expectControlled(page: Page) {
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Who hosts the cache for this tab, from the client's diagnostics. */
export function hostMode(page: Page): Promise<string> {
  return page.evaluate(() => window.pubcacheApp.client.diagnostics.mode);
}

/** Versions the page has shown for `id`, in order, consecutive repeats removed. */
export function shownHistory(page: Page, id: string): Promise<string[]> {
  return page.evaluate((key) => window.pubcacheApp.history[key] ?? [], id);
}

/** Stops every service worker of the context like the browser does when idle (Playwright disables idle stops). */
export async function stopAllServiceWorkers(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}

/** A cached publication record as the page's IndexedDB holds it (the fields tests look at). */
export interface StoredRecord {
  readonly scopeKey: string;
  readonly id: string;
  readonly version: string;
}

/** Every cached publication record in the page's IndexedDB, whatever its scope, read directly (not through our code). */
export function storedRecords(page: Page): Promise<StoredRecord[]> {
  return page.evaluate(
    () =>
      new Promise<StoredRecord[]>((resolve, reject) => {
        const open = indexedDB.open("pubcache");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("publications").objectStore("publications").getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            resolve((all.result as StoredRecord[]).map(({ scopeKey, id, version }) => ({ scopeKey, id, version })));
            open.result.close();
          };
        };
      }),
  );
}
