import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { StaticCopy } from "./support/static-server.js";
import { openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

/**
 * A new build, as the browser sees one: the same `/sw.js` with other bytes
 * (in a private copy of dist/, so other tests keep theirs), found by the
 * registration's update check; the page client lets it take over (skip
 * waiting), so it takes control of the open page. (Registering another
 * script URL instead, `sw.js?build=N`, raced with the page's own
 * registration of `/sw.js`, which then counted as one more new version.)
 */
async function deployNewWorker(page: Page, site: StaticCopy, build: number): Promise<void> {
  await appendFile(join(site.dir, "sw.js"), `\n// build ${build}\n`);
  const changed = page.evaluate(
    () => new Promise<void>((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true })),
  );
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await changed;
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);
const setMarker = (page: Page) => page.evaluate(() => void ((window as unknown as { marker?: number }).marker = 1));

test("app updates: an idle screen restarts into the new build once; a second update within minutes only prompts; Restart now applies it", async ({
  page,
}) => {
  const server = await DevServer.start();
  const site = await StaticCopy.of(fileURLToPath(new URL("../dist", import.meta.url)));
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { ids: ["announcements"] }, site.origin);
    await expectControlled(page);
    // The first install (no controller before) is no update: no prompt.
    const prompt = page.getByRole("complementary").filter({ hasText: "A new version of this dashboard is ready." });
    await expect(prompt).toBeHidden();

    // Idle screen: restarts by itself when the new worker has taken over.
    await page.goto(page.url() + "&updateIdleMs=500");
    await setMarker(page);
    const reloaded = page.waitForEvent("framenavigated");
    await deployNewWorker(page, site, 2);
    await reloaded;
    await expect(page.locator('[data-publication-id="announcements"]')).toHaveAttribute("data-state", "live");
    expect(await marker(page)).toBeUndefined();
    await expect(prompt).toBeHidden();

    // Another update right after: the tab restarted itself moments ago, so it only prompts (no loop).
    await setMarker(page);
    await deployNewWorker(page, site, 3);
    await expect(prompt).toBeVisible();
    expect(await marker(page)).toBe(1);

    await Promise.all([page.waitForEvent("framenavigated"), prompt.getByRole("button", { name: "Restart now" }).click()]);
    await expect(page.locator('[data-publication-id="announcements"]')).toHaveAttribute("data-state", "live");
    expect(await marker(page)).toBeUndefined();
    await expect(prompt).toBeHidden();
  } finally {
    await site.dispose();
    await server.dispose();
  }
});
