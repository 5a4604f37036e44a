import { expect, test, type Page } from "@playwright/test";
import { DevServer } from "./support/dev-server.js";
import { card, deletePublication, openDashboard, publishBody, publishDemoBuilding } from "./dashboard-support/demo-data.js";

/** The freshness line of a card: its short label. */
const label = (page: Page, id: string) => card(page, id).locator(".freshness-label");
const detail = (page: Page, id: string) => card(page, id).locator(".freshness-detail");
const banner = (page: Page) => page.locator(".banner");
const chip = (page: Page) => page.locator(".screen-chip");
const announcer = (page: Page) => page.locator("[data-announcer]");

test("freshness: connecting while the server stalls, live, then reconnecting with the offline banner, and live again", async ({ page }) => {
  const server = await DevServer.start({ faults: true });
  try {
    const versions = await publishDemoBuilding(server.url);
    await server.fault("/faults/hold-calls?ms=3000");
    await openDashboard(page, server.url, { backoffMs: 2_000 });
    await expect(label(page, "announcements")).toHaveText("Connecting…");
    await expect(detail(page, "announcements")).toHaveText("Waiting for the first data");

    await expect(label(page, "announcements")).toHaveText("Live");
    await expect(chip(page)).toHaveText("Live");
    await expect(banner(page)).toBeHidden();
    await expect(announcer(page)).toHaveText("Connected. All data is live.");

    await server.kill();
    await expect(banner(page)).toBeVisible();
    await expect(page.locator(".banner-title")).toHaveText(/^Offline since \d{1,2}:\d{2}/);
    await expect(page.locator(".banner-detail")).toHaveText(/^Showing data confirmed at .+\. Reconnecting( in \d+ s\.|…)$/);
    await expect(chip(page)).toHaveText("Offline");
    await expect(announcer(page)).toHaveText(/^Offline since .+\. The last data stays on screen\.$/);
    await expect(label(page, "announcements")).toHaveText(/^Reconnecting( in \d+ s|…)$/);
    await expect(detail(page, "announcements")).toHaveText(/^Showing data confirmed at .+ \(.+\)$/);
    // The data stays on screen, at the version last confirmed.
    await expect(card(page, "announcements")).toHaveAttribute("data-version", versions["announcements"]!);
    await expect(card(page, "announcements").locator(".body")).toContainText("fire alarm will be tested");

    await server.restart();
    await expect(label(page, "announcements")).toHaveText("Live");
    await expect(banner(page)).toBeHidden();
    await expect(chip(page)).toHaveText("Live");
    await expect(announcer(page)).toHaveText("Connected. All data is live.");
  } finally {
    await server.dispose();
  }
});

test("freshness: a server that cannot stream (--no-pull) shows updating by polling and when it last checked", async ({ page }) => {
  const server = await DevServer.start({ pull: false });
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { pollMs: 1_000 });
    await expect(label(page, "site-config")).toHaveText("Updating by polling");
    await expect(detail(page, "site-config")).toHaveText(/^Checked (now|\d+ seconds ago)$/);
    await expect(chip(page)).toHaveText("Updating by polling");
    await expect(banner(page)).toBeHidden();
    const next = await publishBody(server.url, "announcements", "Lift fixed.", "text/plain");
    await expect(card(page, "announcements")).toHaveAttribute("data-version", next);
    await expect(card(page, "announcements").locator(".body")).toHaveText("Lift fixed.");
  } finally {
    await server.dispose();
  }
});

test("freshness: a server that wants a token shows sign-in needed until the page has one", async ({ page }) => {
  const TOKEN = "dashboard-test-token";
  const server = await DevServer.start({ token: TOKEN });
  try {
    await publishDemoBuilding(server.url, TOKEN);
    await openDashboard(page, server.url);
    await expect(label(page, "alarm-thresholds")).toHaveText("Sign-in needed");
    await expect(detail(page, "alarm-thresholds")).toHaveText("The server wants credentials before it shares this");
    await expect(page.locator(".banner-title")).toHaveText("Sign-in needed");
    await expect(chip(page)).toHaveText("Sign-in needed");

    await page.evaluate((token) => window.pubcacheApp.setToken(token), TOKEN);
    await expect(label(page, "alarm-thresholds")).toHaveText("Live");
    await expect(banner(page)).toBeHidden();
  } finally {
    await server.dispose();
  }
});

test("freshness: a publication the server deletes shows removed, with its last version still on screen", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url);
    await expect(label(page, "announcements")).toHaveText("Live");

    await deletePublication(server.url, "announcements");
    await expect(label(page, "announcements")).toHaveText("Removed by the server");
    await expect(detail(page, "announcements")).toHaveText("Showing the last version it published");
    await expect(card(page, "announcements")).toHaveAttribute("data-version", versions["announcements"]!);
    // One publication gone is not the screen gone: the others stay live.
    await expect(chip(page)).toHaveText("Live");
    await expect(banner(page)).toBeHidden();
  } finally {
    await server.dispose();
  }
});
