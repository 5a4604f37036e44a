import { expect, test, type Page } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { apiClient } from "./dashboard-support/demo-data.js";
import { appUrl, expectControlled } from "./support/app-page.js";
import { DevServer, type DevServerOptions } from "./support/dev-server.js";

/**
 * The fleet view (`?view=fleet`): which screen shows which version. Three
 * simulated screens acknowledge through the API as real ones would: one up
 * to date, one rejecting, one behind.
 */
async function publishFor(server: string, id: string, screen: string, body: string): Promise<string> {
  const client = apiClient(server);
  const publication = { id, body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: screen } };
  try {
    return (await client.createPublication({ name: "", publication })).version;
  } catch {
    return (await client.updatePublication({ name: "", publication })).version;
  }
}

async function acknowledge(server: string, id: string, version: string, receipt: Receipt, reason = "") {
  await apiClient(server).acknowledgePublication({ name: "", id, version, receipt, receiptRejectedReason: reason, allowAcknowledged: true });
}

const screen = (page: Page, name: string) => page.locator(`[data-screen="${name}"]`);

async function openFleet(page: Page, server: string, pollMs?: number) {
  await page.goto(appUrl({ server, ids: ["warm-up"] }));
  await expectControlled(page);
  await page.goto(`${appUrl({ server, ids: [], ...(pollMs && { pollMs }) })}&view=fleet`);
}

const variants: Array<[string, DevServerOptions, number | undefined]> = [
  ["a streaming server: live", {}, undefined],
  ["the database-backed server (--db-like): by polling", { dbLike: true }, 500],
];
for (const [name, options, pollMs] of variants) {
  test(`fleet view against ${name}: one screen behind, one rejecting, one up to date`, async ({ page }, testInfo) => {
    const server = await DevServer.start(options);
    try {
      const lobby = await publishFor(server.url, "lobby:config", "lobby", '{"welcome":"Hello"}');
      const gate = await publishFor(server.url, "gate:config", "gate", '{"doors":2}');
      const cafe = await publishFor(server.url, "cafe:config", "cafe", '{"menu":"soup"}');
      await publishFor(server.url, "cafe:menu", "cafe", '{"today":"soup"}').then((v) => acknowledge(server.url, "cafe:menu", v, Receipt.ACCEPTED));
      await acknowledge(server.url, "lobby:config", lobby, Receipt.ACCEPTED);
      await acknowledge(server.url, "gate:config", gate, Receipt.REJECTED, "not valid JSON: Unexpected token");

      await openFleet(page, server.url, pollMs);
      await expect(page.locator(".fleet-summary")).toHaveText("3 screens · 1 rejecting · 1 behind · 1 up to date");
      // The screens that need someone come first.
      expect(await page.locator("[data-screen]").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-screen")}:${e.getAttribute("data-status")}`))).toEqual([
        "gate:rejecting",
        "cafe:behind",
        "lobby:up-to-date",
      ]);
      await expect(screen(page, "gate").locator(".fleet-receipt")).toHaveText("Rejected: not valid JSON: Unexpected token");
      await expect(screen(page, "lobby").locator('[data-publication="lobby:config"]')).toHaveAttribute("data-receipt", "accepted");
      await expect(screen(page, "lobby").locator(".fleet-receipt")).toHaveText(/^Accepted at /);
      await expect(screen(page, "cafe").locator('[data-publication="cafe:config"] .fleet-receipt')).toHaveText(/^No signal yet · behind for /);
      await expect(screen(page, "cafe").locator(".fleet-screen-status")).toHaveText(/^Behind for /);
      await expect(screen(page, "cafe").locator('[data-publication="cafe:config"]')).toHaveAttribute("data-version", cafe);
      await page.setViewportSize({ width: 1280, height: 800 });
      const shot = testInfo.outputPath("fleet-1280x800.png");
      await page.screenshot({ path: shot });
      await testInfo.attach("fleet-1280x800", { path: shot, contentType: "image/png" });

      // The behind screen catches up; a new version puts the lobby behind: the view follows.
      await acknowledge(server.url, "cafe:config", cafe, Receipt.ACCEPTED);
      const lobby2 = await publishFor(server.url, "lobby:config", "lobby", '{"welcome":"Hello again"}');
      await expect(screen(page, "cafe")).toHaveAttribute("data-status", "up-to-date");
      await expect(screen(page, "lobby")).toHaveAttribute("data-status", "behind");
      await expect(screen(page, "lobby").locator('[data-publication="lobby:config"]')).toHaveAttribute("data-version", lobby2);
      await expect(page.locator(".fleet-summary")).toHaveText("3 screens · 1 rejecting · 1 behind · 1 up to date");
    } finally {
      await server.dispose();
    }
  });
}
