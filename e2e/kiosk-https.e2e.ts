import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, expect, test, type BrowserContext, type Page } from "@playwright/test";
import { card } from "./dashboard-support/demo-data.js";
import { expectControlled } from "./support/app-page.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium.js";
import { homeTrusting, KIOSK_NAME, KioskSite } from "./support/kiosk-site.js";

/**
 * A kiosk tablet on the building network, as the README's Quick start sets
 * it up: `npm start -- --tls --name kiosk.test`, the site's CA installed in
 * the browser's certificate store (an NSS database under $HOME, as Chromium
 * on Linux reads it — never --ignore-certificate-errors), the dashboard
 * opened by name over HTTPS. The browser is launched on a profile directory
 * that outlives it: closing and launching it again is a reboot.
 */
const DEMO_IDS = ["site-config", "alarm-thresholds", "announcements", "floor-plan"];

function launchTablet(profile: string, home: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${KIOSK_NAME} 127.0.0.1`],
    env: { ...process.env, HOME: home },
    viewport: { width: 1280, height: 800 },
  });
}

async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

/** Every demo card holds a version and says its upstream is live. */
async function expectAllLive(page: Page): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const id of DEMO_IDS) {
    await expect(card(page, id)).toHaveAttribute("data-state", "live");
    versions[id] = (await card(page, id).getAttribute("data-version"))!;
    expect(versions[id]).not.toBe("");
  }
  return versions;
}

test("a tablet that trusts the site's CA: https by name, worker in control, one h2 stream for three tabs; rebooted with the servers down it shows the stored data and says so; live again when they return", async () => {
  test.setTimeout(150_000);
  const site = await KioskSite.start();
  const home = await homeTrusting(await site.caPem());
  const profile = await mkdtemp(join(tmpdir(), "pubcache-tablet-"));
  let tablet = await launchTablet(profile, home);
  try {
    expect(site.dashboardUrl).toMatch(/^https:\/\/kiosk\.test:\d+\/\?server=https:\/\/kiosk\.test:\d+&/);
    let page = await firstPage(tablet);
    await page.goto(site.dashboardUrl);
    expect(await page.evaluate(() => isSecureContext)).toBe(true);
    expect(await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe("h2");
    await expectControlled(page);
    const versions = await expectAllLive(page);

    // Three tabs, one upstream stream for the device, over HTTP/2.
    const more = [await tablet.newPage(), await tablet.newPage()];
    for (const tab of more) {
      await tab.goto(site.dashboardUrl);
      await expectControlled(tab);
      await expectAllLive(tab);
    }
    await expect
      .poll(async () => {
        const { openStreams, protocols } = await site.stats();
        return { device: openStreams.PullPublications, perPublication: openStreams.PullPublication, h2: protocols.h2.openStreams, http1: protocols["http/1.1"].openStreams };
      })
      .toEqual({ device: 1, perPublication: 0, h2: 1, http1: 0 });
    // The screen's own diagnostics say so too.
    await expect.poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.upstreamProtocol?.protocol)).toBe("h2");
    await page.keyboard.press("d");
    await expect(page.locator('[data-diag="upstream-protocol"]')).toContainText("h2");
    await page.keyboard.press("Escape");
    await page.screenshot({ path: test.info().outputPath("tablet-https-live-1280x800.png") });

    // Power cut: the servers are gone and the tablet reboots.
    await site.kill();
    await tablet.close();
    tablet = await launchTablet(profile, home);
    page = await firstPage(tablet);
    const boot = await page.goto(site.dashboardUrl);
    expect(boot?.fromServiceWorker(), "the page came from the worker's precache").toBe(true);
    for (const id of DEMO_IDS) {
      await expect(card(page, id)).toHaveAttribute("data-version", versions[id]!);
      await expect(card(page, id)).not.toHaveAttribute("data-state", "live");
    }
    await expect(card(page, "announcements").locator(".body")).toContainText("fire alarm will be tested");
    await expect(page.locator(".banner-title")).toHaveText(/^Offline since \d{1,2}:\d{2}/);
    await expect(page.locator(".screen-chip")).toHaveText("Offline");
    await page.screenshot({ path: test.info().outputPath("tablet-https-rebooted-offline-1280x800.png") });

    // The servers come back: live again, by itself, over h2.
    await site.restart();
    await expectAllLive(page);
    await expect(page.locator(".banner")).toBeHidden();
    await expect.poll(async () => (await site.stats()).protocols.h2.openStreams).toBe(1);
  } finally {
    await tablet.close();
    await site.dispose();
    await rm(profile, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
});

test("a tablet that does not trust the site's CA: the browser stops at its warning; clicked through, the page says the CA is not installed and how to fix it", async () => {
  test.setTimeout(90_000);
  const site = await KioskSite.start();
  const home = await homeTrusting(undefined);
  const profile = await mkdtemp(join(tmpdir(), "pubcache-tablet-"));
  const tablet = await launchTablet(profile, home);
  try {
    const page = await firstPage(tablet);
    await expect(page.goto(site.dashboardUrl)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    // What a technician does at Chromium's warning: Advanced, then "Proceed to kiosk.test (unsafe)".
    await expect(page.getByRole("heading", { name: "Your connection is not private" })).toBeVisible();
    await page.locator("#details-button").click();
    await page.locator("#proceed-link").click();
    await page.waitForURL(/^https:\/\/kiosk\.test:/);
    const note = page.getByTestId("offline-availability");
    await expect(note).toHaveAttribute("data-availability", "certificate-not-trusted");
    await expect(note).toContainText("does not trust the site's certificate");
    await expect(note).toContainText(/Install (its|the site's) CA/);
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    expect(await page.evaluate(() => window.pubcacheApp.client.diagnostics.workerProblem?.kind)).toBe("certificate-not-trusted");
  } finally {
    await tablet.close();
    await site.dispose();
    await rm(profile, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
});
