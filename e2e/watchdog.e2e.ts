import { expect, test, type Page } from "@playwright/test";
import { appUrl, expectControlled, expectShown } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

/**
 * The worker's watchdog: a visible tab whose main thread hangs stops
 * sending heartbeats; after three periods the worker navigates it to its own
 * address (once), diagnostics say so, and a second hang within 10 minutes is
 * held back, not reloaded. Heartbeats every 300 ms here (the page's
 * `heartbeatMs` test option) instead of 5 s.
 */
const HANG_MS = 4_000;

/** Blocks the page's main thread (a busy loop); the page may be navigated away meanwhile. */
async function hang(page: Page) {
  await page
    .evaluate((ms) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        // Busy: no timer, no message, no heartbeat.
      }
    }, HANG_MS)
    .catch((error: unknown) => {
      if (!String(error).includes("Execution context was destroyed")) throw error;
    });
}

const watchdogActions = (page: Page) => page.evaluate(() => window.pubcacheApp.client.diagnostics.watchdogEvents.map((event) => event.action));

test("a hung tab is reloaded by the worker's watchdog, once; diagnostics say so; a second hang within 10 minutes is held back", async ({ page }, testInfo) => {
  const server = await DevServer.start();
  try {
    const version = await publish(server.url, "menu", "soup of the day");
    const url = appUrl({ server: server.url, ids: ["menu"], heartbeatMs: 300 });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await expectControlled(page);
    await expectShown(page, "menu", { version, state: "live" });
    let navigations = 0;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    expect(await watchdogActions(page)).toEqual([]);

    await hang(page);
    await expect.poll(() => navigations).toBe(1);
    await expectShown(page, "menu", { version, state: "live" });
    await expect.poll(() => watchdogActions(page)).toEqual(["reloaded"]);
    await page.keyboard.press("d");
    await expect(page.locator('[data-diag="watchdog"]')).toContainText(/^Reloaded by the watchdog at .+ \(no answer for \d+ seconds?\)\.$/);
    const path = testInfo.outputPath("watchdog-diagnostics-1280x800.png");
    await page.screenshot({ path });
    await testInfo.attach("watchdog-diagnostics-1280x800", { path, contentType: "image/png" });
    await page.keyboard.press("Escape");

    // Hung again at once: the watchdog notices, and holds back (the same address was reloaded less than 10 minutes ago).
    await hang(page);
    await expect.poll(() => watchdogActions(page)).toEqual(["reloaded", "held-back"]);
    expect(navigations).toBe(1);
    await expectShown(page, "menu", { version, state: "live" });
  } finally {
    await server.dispose();
  }
});
