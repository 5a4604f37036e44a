import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { DEMO_PUBLICATION_IDS } from "../src/dashboard/titles.js";
import { expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { card, openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

const SCREENS = [
  { name: "tablet-1280x800-light", viewport: { width: 1280, height: 800 }, colorScheme: "light" as const },
  { name: "wall-1920x1080-dark", viewport: { width: 1920, height: 1080 }, colorScheme: "dark" as const },
];

for (const screen of SCREENS) {
  test(`screens: ${screen.name}, online then offline: everything on screen, banner when offline, no serious accessibility violations`, async ({
    browser,
  }, testInfo) => {
    const server = await DevServer.start();
    const context = await browser.newContext({ viewport: screen.viewport, colorScheme: screen.colorScheme, locale: "en-GB" });
    try {
      await publishDemoBuilding(server.url);
      const page = await context.newPage();
      await openDashboard(page, server.url, { backoffMs: 4_000 });
      await expectControlled(page);
      for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour House");
      await expect(page.locator(".screen-chip")).toHaveText("Live");
      await expect(page.locator(".banner")).toBeHidden();
      await snapshot(page, testInfo, `${screen.name}-online`);
      await expectAllOnScreen(page, screen.viewport);
      await expectNoSeriousViolations(page);

      await server.kill();
      await expect(page.locator(".banner")).toBeVisible();
      await expect(page.locator(".banner-title")).toHaveText(/^Offline since \d{1,2}:\d{2}$/);
      await expect(page.locator(".banner-detail")).toContainText("Showing data confirmed at");
      await expect(page.locator(".screen-chip")).toHaveText("Offline");
      // The data stays: every card still shows its version.
      for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).not.toHaveAttribute("data-version", "");
      await snapshot(page, testInfo, `${screen.name}-offline`);
      await expectAllOnScreen(page, screen.viewport);
      await expectNoSeriousViolations(page);
    } finally {
      await context.close();
      await server.dispose();
    }
  });
}

/**
 * Every card on the current screen page has its heading and footer inside the
 * viewport, the page does not scroll, and cards off this page are reached by
 * paging ("Page 1 of 2"). Per-card freshness lines are shown only where a card
 * differs from the screen (the chip and the banner say the rest), so they are
 * not looked for here; e2e/dashboard-fit.e2e.ts checks every element of every card.
 */
async function expectAllOnScreen(page: Page, viewport: { width: number; height: number }) {
  let onPage = 0;
  for (const id of DEMO_PUBLICATION_IDS) {
    if (await card(page, id).evaluate((el) => el.classList.contains("off-page"))) continue;
    onPage++;
    for (const part of [".card-title", ".card-meta"]) {
      const box = await card(page, id).locator(part).boundingBox();
      expect(box, `${id} ${part}`).not.toBeNull();
      expect(box!.x + box!.width, `${id} ${part} right edge`).toBeLessThanOrEqual(viewport.width);
      expect(box!.y + box!.height, `${id} ${part} bottom edge`).toBeLessThanOrEqual(viewport.height);
    }
  }
  const pages = Number(await page.locator("main").getAttribute("data-pages"));
  if (onPage < DEMO_PUBLICATION_IDS.length) await expect(page.locator(".pager")).toHaveText(`Page ${await page.locator("main").getAttribute("data-page")} of ${pages}`);
  else expect(pages).toBe(1);
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  expect(size[0], "no horizontal scrolling").toBeLessThanOrEqual(viewport.width);
  expect(size[1], "no vertical scrolling").toBeLessThanOrEqual(viewport.height);
}

async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, animations: "disabled" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  expect(serious).toEqual([]);
}
