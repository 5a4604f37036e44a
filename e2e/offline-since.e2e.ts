import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { apiClient, card, openDashboard, publishBody, publishDemoBuilding } from "./dashboard-support/demo-data.js";
import { appUrl, expectControlled, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";

/**
 * One freshness story (issue 18, item 3): "Offline since" is when the host
 * last heard the server — the same after a reload and after the worker
 * restarts — "confirmed at" is never earlier than what the same stream
 * delivered, and the fleet view goes offline as honestly as the dashboard.
 */
const banner = (page: Page) => page.locator(".banner");

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** The time a retrying publication last failed (0 while it does not retry). */
function lastFailureAt(page: Page, id: string): Promise<number> {
  return page.evaluate((key) => {
    const state = window.pubcacheApp.client.peek(key).state;
    return state.kind === "retrying" ? state.lastError.at : 0;
  }, id);
}

test("offline since: the time the host last heard the server, the same after a reload and after the worker restarts; confirmed at is not earlier than the newest value the stream delivered", async ({
  page,
  context,
}, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const server = await DevServer.start();
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { backoffMs: 1_000 });
    await expect(page.locator(".screen-chip")).toHaveText("Live");
    // A newer value on the live stream, after every other card's value arrived.
    const newest = await publishBody(server.url, "announcements", "Lift 2 is back in service.", "text/plain");
    await expect(card(page, "announcements")).toHaveAttribute("data-shown-version", newest);
    const publishedAt = Date.parse((await card(page, "announcements").locator(".card-published").getAttribute("datetime"))!);

    const killedAt = Date.now();
    await server.kill();
    await expect(banner(page)).toHaveAttribute("data-kind", "offline");
    const since = Number(await banner(page).getAttribute("data-since"));
    const title = await page.locator(".banner-title").textContent();
    // The host's one fact, said by the banner.
    const contact = await page.evaluate(() => window.pubcacheApp.client.diagnostics.serverContact);
    expect(contact?.lostAt).toBeDefined();
    expect(since).toBe(contact?.heardAt);
    expect(since).toBeGreaterThanOrEqual(publishedAt);
    expect(since).toBeLessThanOrEqual(killedAt);
    // The stream vouched for every card until its last message: none is older than what it delivered last.
    expect(Number(await banner(page).getAttribute("data-confirmed-at"))).toBeGreaterThanOrEqual(publishedAt);

    // The host retries, and fails, after that: a reload must not take a later failure for the start of the outage.
    const firstFailure = await lastFailureAt(page, "site-config");
    await expect.poll(() => lastFailureAt(page, "site-config")).toBeGreaterThan(firstFailure);
    await page.reload();
    await expect(banner(page)).toHaveAttribute("data-kind", "offline");
    await expect(banner(page)).toHaveAttribute("data-since", String(since));
    await expect(page.locator(".banner-title")).toHaveText(title!);
    await shoot(page, testInfo, "offline-after-reload-1280x800");

    // A reboot of the host (the worker stopped and started again): the time comes back from IndexedDB.
    await stopAllServiceWorkers(context, page);
    await page.reload();
    await expect(banner(page)).toHaveAttribute("data-kind", "offline");
    await expect(banner(page)).toHaveAttribute("data-since", String(since));
    await expect(page.locator(".banner-title")).toHaveText(title!);

    // Diagnostics say the same fact in the same words.
    await page.keyboard.press("d");
    await expect(page.locator('[data-diag="server-contact"]')).toHaveText(new RegExp(`^${title!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(`));
  } finally {
    await server.dispose();
  }
});

test("fleet view: with the server gone it says offline since it last heard it, stops 'behind for', and has diagnostics (D)", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const server = await DevServer.start();
  try {
    const client = apiClient(server.url);
    const publish = (id: string, screen: string, body: string) =>
      client.createPublication({ name: "", publication: { id, body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: screen } } });
    const lobby = await publish("lobby:config", "lobby", '{"welcome":"Hello"}');
    await client.acknowledgePublication({ name: "", id: "lobby:config", version: lobby.version, receipt: Receipt.ACCEPTED });
    await publish("cafe:config", "cafe", '{"menu":"soup"}');

    // The page's clock is Playwright's (time flows; it can jump), the worker's is real.
    await page.clock.install();
    await page.goto(appUrl({ server: server.url, ids: ["warm-up"] }));
    await expectControlled(page);
    await page.goto(`${appUrl({ server: server.url, ids: [] })}&view=fleet`);
    await expect(page.locator(".fleet-summary")).toHaveText("2 screens · 1 behind · 1 up to date");
    await expect(page.locator(".fleet-top")).toHaveAttribute("data-connection", "answering");
    await expect(page.locator(".fleet-banner")).toBeHidden();
    const behind = page.locator('[data-screen="cafe"] [data-publication="cafe:config"] .fleet-receipt');
    await expect(behind).toHaveText("No signal yet · behind for less than a minute");

    await server.kill();
    await expect(page.locator(".fleet-top")).toHaveAttribute("data-connection", "offline");
    await expect(page.locator(".fleet-banner")).toBeVisible();
    await expect(page.locator(".fleet-banner .banner-title")).toHaveText(/^Offline since \d{1,2}:\d{2}/);
    await expect(page.locator(".fleet-summary")).toHaveText(/^As of \d{1,2}:\d{2}.*: 2 screens · 1 behind · 1 up to date$/);
    await expect(behind).toHaveText("No signal yet · behind for less than a minute when last heard");

    // Ten minutes later nothing more is known: the counter stays where the server was last heard.
    await page.clock.fastForward("10:00");
    await expect(page.locator(".fleet-banner .banner-detail")).toHaveText(/\(10 minutes ago\)/);
    await expect(behind).toHaveText("No signal yet · behind for less than a minute when last heard");
    await expect(page.locator('[data-screen="cafe"] .fleet-screen-status')).toHaveText("Behind for less than a minute when last heard");
    await shoot(page, testInfo, "fleet-offline-1280x800");

    await page.keyboard.press("d");
    await expect(page.locator("dialog.diagnostics")).toBeVisible();
    await expect(page.locator('[data-diag="server-contact"]')).toHaveText(/^Offline since \d{1,2}:\d{2}.* \(10 minutes ago\)$/);
    await shoot(page, testInfo, "fleet-diagnostics-1280x800");
  } finally {
    await server.dispose();
  }
});
