import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { appUrl } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { card } from "./dashboard-support/demo-data.js";
import { fitStatus, startFitChecker } from "./dashboard-support/fit-checker.js";
import { publishScreenful } from "./dashboard-support/many-publications.js";

/**
 * The dashboard fits wall screens: for 4, 12 and 20 publications, at
 * 1280×800 and 1920×1080, light and dark, online and then offline (server
 * killed, banner shown), nothing on a card is clipped or overflows, no two
 * cards overlap, nothing covers the header or footer, text is at least
 * 16 px (20 px at 1920×1080), and the calm timer (here `pageMs`, short)
 * shows every part of every card within a bounded time. A screenshot of
 * every screen page of every combination is kept with the test results.
 *
 * One server and one page per publication count and phase (offline: the
 * same screen once it is up, then the server killed); the four
 * combinations are viewport and colour-scheme changes of that page. Over HTTP/1.1 a
 * browser opens at most six connections per server and each live stream
 * holds one, so the 12- and 20-publication screens run against a server
 * that only answers polls (`--no-pull`): the layout is what is tested here.
 */
const PAGE_MS = 600;
/** The timer's bound: every page stays for at most MAX_PARTS (4) ticks. */
const MAX_PARTS = 4;
const SCREENS = [
  { width: 1280, height: 800, minFontPx: 16 },
  { width: 1920, height: 1080, minFontPx: 19.9 },
] as const;
const SCHEMES = ["light", "dark"] as const;

for (const count of [4, 12, 20]) for (const phase of ["online", "offline"] as const) {
  test(`fit: ${count} publications, ${phase}, at 1280×800 and 1920×1080, light and dark: nothing clipped or overlapping, every card shown in time`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(360_000);
    const streaming = count <= 4;
    const server = await DevServer.start({ pull: streaming });
    const context = await browser.newContext({ viewport: SCREENS[0], locale: "en-GB" });
    try {
      const ids = await publishScreenful(server.url, count);
      const page = await context.newPage();
      // Install the worker first, as a kiosk has from its second start (see openDashboard).
      await page.goto(appUrl({ server: server.url, ids: [ids[0]!] }));
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await page.goto(`${appUrl({ server: server.url, ids, backoffMs: 2_000, ...(streaming ? {} : { pollMs: 2_000 }) })}&pageMs=${PAGE_MS}`);
      for (const id of ids) await expect(card(page, id)).not.toHaveAttribute("data-version", "");

      {
        if (phase === "offline") {
          await server.kill();
          await expect(page.locator(".banner")).toBeVisible();
          await expect(page.locator(".banner-title")).toHaveText(/^Offline since/);
          // One freshness message for the screen: the banner; no card repeats it.
          await expect(page.locator(".banner-detail")).toHaveText(/Reconnecting( in \d+ s\.|…)$/);
          await expect(page.locator(".card:not(.off-page) .freshness:visible")).toHaveCount(0);
        } else {
          await expect(page.locator(".screen-chip")).toHaveText(streaming ? "Live" : "Updating by polling");
        }
        for (const screen of SCREENS) {
          for (const scheme of SCHEMES) {
            await page.setViewportSize({ width: screen.width, height: screen.height });
            await page.emulateMedia({ colorScheme: scheme });
            const name = `${count}-${phase}-${screen.width}x${screen.height}-${scheme}`;
            await test.step(name, () => cycleThroughPages(page, testInfo, name, ids, screen.minFontPx));
            const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
            expect(background, `${name}: the ${scheme} theme`).toBe(scheme === "dark" ? "rgb(11, 19, 27)" : "rgb(233, 238, 243)");
          }
        }
      }
    } finally {
      await context.close();
      await server.dispose();
    }
  });
}

/** Waits until the checker has seen every part of every card, screenshotting each screen page once. */
async function cycleThroughPages(page: Page, testInfo: TestInfo, name: string, ids: readonly string[], minFontPx: number) {
  // Let the layout settle on the new size before measuring.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await startFitChecker(page, minFontPx);
  const shot = new Set<number>();
  let status = await fitStatus(page);
  const boundMs = Math.max(1, status.pages) * MAX_PARTS * PAGE_MS + 10_000;
  for (;;) {
    status = await fitStatus(page);
    if (!shot.has(status.page)) {
      shot.add(status.page);
      const path = testInfo.outputPath(`${name}-page${status.page}.png`);
      await page.screenshot({ path, animations: "disabled" });
      await testInfo.attach(`${name}-page${status.page}`, { path, contentType: "image/png" });
    }
    const complete = ids.every((id) => status.cardsComplete.includes(id));
    if ((complete && status.checks > 3) || status.elapsedMs > boundMs) break;
    await page.waitForTimeout(150);
  }
  expect(status.violations, `${name}: what overflows, is clipped or overlaps`).toEqual([]);
  expect(
    ids.filter((id) => !status.cardsComplete.includes(id)),
    `${name}: cards not fully shown within ${boundMs} ms (seen: ${status.seen.join(", ")})`,
  ).toEqual([]);
  expect(status.smallestFontPx, `${name}: smallest text`).toBeGreaterThanOrEqual(minFontPx);
  if (status.pages > 1) expect(status.indicator, `${name}: page indicator`).toMatch(/^Page \d+ of \d+$/);
  else expect(status.indicator).toBe("");
}
