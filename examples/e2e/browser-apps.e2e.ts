import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { StaticCopy } from "../../e2e/support/static-server.js";
import { BROWSER_APPS, EXAMPLES_WORK } from "../support/workspace.js";
import { NpxServer } from "./support/npx-server.js";

/** Stops every service worker of the context, as the browser does when idle (Playwright disables idle stops). */
async function stopAllServiceWorkers(context: import("@playwright/test").BrowserContext, page: import("@playwright/test").Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}

for (const app of BROWSER_APPS) {
  test(`${app}: first value, live update; server gone → reloads (also offline) show the cached value`, async ({ context, page }) => {
    const server = await NpxServer.start();
    const site = await StaticCopy.of(join(EXAMPLES_WORK, app, "dist"));
    try {
      const v1 = await server.publish("notice", "Lift 2 is out of service");
      await page.goto(`${site.origin}/?server=${encodeURIComponent(server.url)}&id=notice`);
      const notice = page.locator('[data-publication="notice"]');
      await expect(notice).toHaveAttribute("data-version", v1);
      await expect(notice.locator(".body")).toHaveText("Lift 2 is out of service");
      await expect(notice).toHaveAttribute("data-state", "live");

      // The worker built by pubcache-web/vite takes over and hosts the cache: one stream, the device's.
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await expect.poll(async () => server.openStreams()).toEqual({ PullPublication: 0, PullPublications: 1 });

      const v2 = await server.publish("notice", "Lift 2 is back");
      await expect(notice).toHaveAttribute("data-version", v2);
      await expect(notice.locator(".body")).toHaveText("Lift 2 is back");

      await server.kill();
      await expect(notice).not.toHaveAttribute("data-state", "live");
      // The URL has a query string: only precacheAndHost's navigation route answers it from the precache.
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await expect(notice).toHaveAttribute("data-version", v2);
      await expect(notice.locator(".body")).toHaveText("Lift 2 is back");
      await expect(notice).not.toHaveAttribute("data-state", "live");

      // A kiosk booting with no network at all: no worker running, only caches.
      await stopAllServiceWorkers(context, page);
      await context.setOffline(true);
      const offline = await page.reload();
      expect(offline?.fromServiceWorker()).toBe(true);
      await expect(notice).toHaveAttribute("data-version", v2);
      await expect(notice.locator(".body")).toHaveText("Lift 2 is back");
    } finally {
      await context.setOffline(false);
      await site.dispose();
      await server.dispose();
    }
  });
}
