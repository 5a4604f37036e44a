import { expect, test } from "@playwright/test";
import { DEMO_PUBLICATION_IDS } from "../src/dashboard/titles.js";
import { DevServer } from "./support/dev-server.js";
import { card, openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

test("diagnostics (key D): host mode, worker and page builds, storage, per publication state, confirmation and errors; clear cache", async ({
  page,
}, testInfo) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { backoffMs: 2_000 });
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");

    await page.keyboard.press("d");
    const panel = page.getByRole("dialog", { name: "Diagnostics" });
    await expect(panel).toBeVisible();
    const value = (name: string) => panel.locator(`[data-diag="${name}"]`);

    await expect(value("host-mode")).toHaveText("Service worker");
    await expect(value("worker-state")).toHaveText("activated (/sw.js)");
    // The worker's build is the precache revision of the shell it serves; the page's, its script hash.
    const revision = await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
          const url = new URL(request.url);
          if (url.pathname.endsWith("/index.html")) return url.searchParams.get("__WB_REVISION__");
        }
      }
      return null;
    });
    expect(revision).toBeTruthy();
    await expect(value("worker-build")).toHaveText(revision!.slice(0, 8));
    const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[type=module]")!.src);
    await expect(value("page-build")).toHaveText(/-([\w-]+)\.js$/.exec(script)![1]!);

    // Storage: the browser's own answers.
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await expect(value("persisted")).toHaveText(persisted ? /^Granted/ : /^Not granted/);
    await expect(value("usage")).toHaveText(/^[\d.,]+ (byte|kB|MB|GB)s? of [\d.,]+ (kB|MB|GB|TB) available$/);
    await expect(value("cache-size")).toHaveText(/^4 of 4, [\d.,]+ kB$/);

    for (const id of DEMO_PUBLICATION_IDS) {
      const row = panel.locator(`tr[data-diag-publication="${id}"]`);
      await expect(row.locator('[data-diag="upstream"]')).toHaveText("live");
      await expect(row.locator('[data-diag="version"]')).toHaveText(versions[id]!.slice(0, 8));
      await expect(row.locator('[data-diag="source"]')).toHaveText(/^(stream|storage)$/);
      await expect(row.locator('[data-diag="last-confirmed"]')).toHaveText(/^\d{1,2}:\d{2}.* \((now|\d+ seconds? ago)\)$/);
      await expect(row.locator('[data-diag="last-error"]')).toHaveText("none");
    }

    const shot = testInfo.outputPath("diagnostics.png");
    await page.screenshot({ path: shot });
    await testInfo.attach("diagnostics", { path: shot, contentType: "image/png" });

    // The server goes away: the rows say so, with the error the cache saw.
    await server.kill();
    const row = panel.locator('tr[data-diag-publication="site-config"]');
    await expect(row.locator('[data-diag="upstream"]')).toHaveText(/^retrying in \d+ s$/);
    await expect(row.locator('[data-diag="last-error"]')).not.toHaveText("none");

    await panel.getByRole("button", { name: "Clear cache" }).click();
    await expect(value("clear-result")).toHaveText("Cache cleared. Data is fetched again from the server.");
    await expect(value("cache-size")).toHaveText(/^0 of 4, /);
    await expect(card(page, "site-config")).toHaveAttribute("data-version", "");
    await expect(card(page, "site-config").locator(".placeholder")).toHaveText("No data yet");

    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  } finally {
    await server.dispose();
  }
});
