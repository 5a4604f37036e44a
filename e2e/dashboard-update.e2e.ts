import { expect, test, type Page } from "@playwright/test";
import { expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

/**
 * A new build, as the browser sees one: a worker script that differs from
 * the controlling one installs, and is told to skip waiting (what the
 * client does for a waiting worker), so it takes control of the open page.
 */
async function deployNewWorker(page: Page, build: number): Promise<void> {
  await page.evaluate(async (n) => {
    const registration = await navigator.serviceWorker.register(`./sw.js?build=${n}`);
    const worker = await new Promise<ServiceWorker>((resolve) => {
      const pick = () => registration.waiting ?? undefined;
      const found = pick();
      if (found) return resolve(found);
      const installing = registration.installing!;
      installing.addEventListener("statechange", () => {
        if (installing.state === "installed") resolve(installing);
      });
    });
    worker.postMessage({ type: "SKIP_WAITING" });
  }, build);
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);
const setMarker = (page: Page) => page.evaluate(() => void ((window as unknown as { marker?: number }).marker = 1));

test("app updates: an idle screen restarts into the new build once; a second update within minutes only prompts; Restart now applies it", async ({
  page,
}) => {
  const server = await DevServer.start();
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { ids: ["announcements"] });
    await expectControlled(page);
    // The first install (no controller before) is no update: no prompt.
    const prompt = page.getByRole("complementary").filter({ hasText: "A new version of this dashboard is ready." });
    await expect(prompt).toBeHidden();

    // Idle screen: restarts by itself when the new worker has taken over.
    await page.goto(page.url() + "&updateIdleMs=500");
    await setMarker(page);
    const reloaded = page.waitForEvent("framenavigated");
    await deployNewWorker(page, 2);
    await reloaded;
    await expect(page.locator('[data-publication-id="announcements"]')).toHaveAttribute("data-state", "live");
    expect(await marker(page)).toBeUndefined();
    await expect(prompt).toBeHidden();

    // Another update right after: the tab restarted itself moments ago, so it only prompts (no loop).
    await setMarker(page);
    await deployNewWorker(page, 3);
    await expect(prompt).toBeVisible();
    expect(await marker(page)).toBe(1);

    await Promise.all([page.waitForEvent("framenavigated"), prompt.getByRole("button", { name: "Restart now" }).click()]);
    await expect(page.locator('[data-publication-id="announcements"]')).toHaveAttribute("data-state", "live");
    expect(await marker(page)).toBeUndefined();
    await expect(prompt).toBeHidden();
  } finally {
    await server.dispose();
  }
});
