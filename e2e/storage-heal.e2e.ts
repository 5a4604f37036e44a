import { expect, test, type Page } from "@playwright/test";
import { DEMO_PUBLICATION_IDS } from "../src/dashboard/titles.js";
import { appUrl, expectControlled, stopAllServiceWorkers } from "./support/app-page.js";
import { card, openDashboard, publishBody, publishDemoBuilding } from "./dashboard-support/demo-data.js";
import { DevServer } from "./support/dev-server.js";
import { readStoredData } from "./support/stored-data.js";

/** The precache's entries, as the page sees Cache Storage. */
function precachedFiles(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let count = 0;
    for (const name of await caches.keys()) if (name.includes("precache")) count += (await (await caches.open(name)).keys()).length;
    return count;
  });
}

function storageRecoveries(page: Page) {
  return page.evaluate(() => window.pubcacheApp.client.diagnostics.storageRecoveries);
}

test("site data cleared while running (IndexedDB and Cache Storage): values and app files are back within seconds, diagnostics say when, and an offline reload shows the values", async ({
  context,
  page,
  baseURL,
}) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { backoffMs: 1_000 });
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
    await expect.poll(async () => (await readStoredData(page)).versions).toEqual(versions);
    const before = await readStoredData(page);
    const files = await precachedFiles(page);
    expect(files).toBeGreaterThan(0);
    // Chromium keeps a site's storage without a 7-day cap: no install hint here.
    await expect(page.locator(".install-hint")).toHaveCount(0);

    // What Chromium's "Clear site data" does to storage, keeping the worker registered.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: new URL(baseURL!).origin, storageTypes: "indexeddb,cache_storage" });

    // The host noticed (its marker was gone), and put every value and subscription back.
    await expect.poll(() => storageRecoveries(page), { timeout: 10_000 }).toEqual([
      expect.objectContaining({ storage: "database", restored: DEMO_PUBLICATION_IDS.length, restoredAt: expect.any(Number) }),
      expect.objectContaining({ storage: "app-files", restored: files, restoredAt: expect.any(Number) }),
    ]);
    const after = await readStoredData(page);
    expect(after.versions).toEqual(versions);
    expect(after.subscriptions).toEqual([...DEMO_PUBLICATION_IDS].sort());
    expect(after.marker).toBeDefined();
    expect(after.marker).not.toBe(before.marker);
    expect(await precachedFiles(page)).toBe(files);

    await page.keyboard.press("d");
    const panel = page.getByRole("dialog", { name: "Diagnostics" });
    await expect(panel.locator('[data-diag="storage-recovery"]')).toHaveText(
      new RegExp(
        `^Stored data was cleared at \\d{1,2}:\\d{2}.*; ${DEMO_PUBLICATION_IDS.length} values written back\\. ` +
          `App files were lost at \\d{1,2}:\\d{2}.*; ${files} files restored at \\d{1,2}:\\d{2}.*\\.$`,
      ),
    );
    await page.keyboard.press("Escape");

    // A kiosk rebooting with no network: the shell and the values come from the restored storage.
    await server.kill();
    await stopAllServiceWorkers(context, page);
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
  } finally {
    await context.setOffline(false);
    await server.dispose();
  }
});

test("site data cleared with the service worker (Clear site data in full): the worker is registered again without a reload, values and app files are back, and an offline reload works", async ({
  context,
  page,
  baseURL,
}) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { backoffMs: 1_000 });
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
    await expect.poll(async () => (await readStoredData(page)).versions).toEqual(versions);
    const files = await precachedFiles(page);

    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: new URL(baseURL!).origin, storageTypes: "all" });

    // The worker went with the data; it is registered again and takes over the page, no reload.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 20_000 }).toBe("activated");
    await expect.poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.mode)).toBe("service-worker");
    await expect.poll(async () => (await readStoredData(page)).versions, { timeout: 10_000 }).toEqual(versions);
    expect((await readStoredData(page)).subscriptions).toEqual([...DEMO_PUBLICATION_IDS].sort());
    await expect.poll(() => precachedFiles(page)).toBe(files);
    // Its return is not offered as a new version of the dashboard.
    await expect(page.locator(".update-prompt")).toBeHidden();
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");

    await server.kill();
    await stopAllServiceWorkers(context, page);
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
  } finally {
    await context.setOffline(false);
    await server.dispose();
  }
});

test("the database deleted by another tab while running: values written back, and the next update is stored too", async ({ context, page }) => {
  const server = await DevServer.start();
  try {
    const ids = ["menu", "notice"];
    const v1 = { menu: await publishBody(server.url, "menu", "soup", "text/plain"), notice: await publishBody(server.url, "notice", "lift 2 out", "text/plain") };
    await page.goto(appUrl({ server: server.url, ids }));
    await expectControlled(page);
    await expect.poll(async () => (await readStoredData(page)).versions).toEqual(v1);

    const other = await context.newPage();
    await other.goto("/icons/icon-192.png");
    await other.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase("pubcache");
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error ?? new Error("delete failed"));
          request.onblocked = () => reject(new Error("delete blocked: a connection did not close on versionchange"));
        }),
    );
    await other.close();

    await expect.poll(async () => (await readStoredData(page)).versions, { timeout: 10_000 }).toEqual(v1);
    expect((await readStoredData(page)).subscriptions).toEqual(ids);
    await expect.poll(() => storageRecoveries(page)).toEqual([expect.objectContaining({ storage: "database", restored: 2, restoredAt: expect.any(Number) })]);
    // Nothing happened to the app files.
    expect((await storageRecoveries(page)).filter((r) => r.storage === "app-files")).toEqual([]);

    const v2 = await publishBody(server.url, "menu", "stew", "text/plain");
    await expect(card(page, "menu")).toHaveAttribute("data-version", v2);
    await expect.poll(async () => (await readStoredData(page)).versions.menu).toBe(v2);
  } finally {
    await server.dispose();
  }
});

test("Safari outside an installed app (its user agent, in Chromium): a short hint below the cards, never over them; dismissed, it stays away", async ({
  browser,
  baseURL,
}) => {
  const server = await DevServer.start();
  const safari = await browser.newContext({
    baseURL: baseURL!,
    viewport: { width: 1280, height: 800 },
    userAgent:
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  });
  try {
    const versions = await publishDemoBuilding(server.url);
    const page = await safari.newPage();
    await openDashboard(page, server.url);
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
    const hint = page.getByRole("complementary", { name: "Keep this dashboard's offline data" });
    await expect(hint).toBeVisible();
    await expect(hint).toContainText("Add this dashboard to the Home Screen");
    const [main, box, footer] = await Promise.all(["main.cards", ".install-hint", "footer.bottom"].map((s) => page.locator(s).boundingBox()));
    expect(main!.y + main!.height).toBeLessThanOrEqual(box!.y + 1);
    expect(box!.y + box!.height).toBeLessThanOrEqual(footer!.y + 1);

    await hint.getByRole("button", { name: "Dismiss" }).click();
    await expect(hint).toHaveCount(0);
    await page.reload();
    await expect(card(page, "site-config")).toHaveAttribute("data-version", versions["site-config"]!);
    await expect(page.locator(".install-hint")).toHaveCount(0);
  } finally {
    await safari.close();
    await server.dispose();
  }
});
