import { expect, test, type Page } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { apiClient, card } from "./dashboard-support/demo-data.js";
import { appUrl, expectControlled, expectShown } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";

/**
 * Receipts: a screen that knows its Smart Core name (`?screen=`) tells the
 * server which version of each publication addressed to it it shows —
 * ACCEPTED once it is on screen, REJECTED with a reason when it cannot be
 * shown — once each, even when that has to wait for the network.
 */
const SCREEN = "lobby-1";

async function publishFor(server: string, id: string, body: string, mediaType = "application/json"): Promise<string> {
  const client = apiClient(server);
  const publication = { id, body: new TextEncoder().encode(body), mediaType, audience: { name: SCREEN } };
  try {
    return (await client.createPublication({ name: "", publication })).version;
  } catch {
    return (await client.updatePublication({ name: "", publication })).version;
  }
}

const audienceOf = async (server: string, id: string) => (await apiClient(server).getPublication({ name: "", id })).audience;

async function installWorker(page: Page, server: string) {
  await page.goto(appUrl({ server, ids: ["warm-up"] }));
  await expectControlled(page);
}

test("shown → ACCEPTED on the server; a broken JSON body → REJECTED with its reason", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const good = await publishFor(server.url, "lobby-config", '{"welcome":"Hello"}');
    const broken = await publishFor(server.url, "lobby-rules", '{"rules": [1, 2,');
    await installWorker(page, server.url);
    await page.goto(appUrl({ server: server.url, ids: ["lobby-config", "lobby-rules"], screen: SCREEN }));
    await expectShown(page, "lobby-config", { version: good, state: "live" });
    await expect.poll(async () => (await audienceOf(server.url, "lobby-config"))?.receipt).toBe(Receipt.ACCEPTED);
    await expect.poll(async () => (await audienceOf(server.url, "lobby-rules"))?.receipt).toBe(Receipt.REJECTED);
    const rejected = await audienceOf(server.url, "lobby-rules");
    expect(rejected?.receiptRejectedReason).toMatch(/^not valid JSON: /);
    expect((await apiClient(server.url).getPublication({ name: "", id: "lobby-rules" })).version).toBe(broken);
    // The server's echo (same version, new receipt) reaches the screen; nothing is sent twice.
    await expect(card(page, "lobby-config")).toHaveAttribute("data-version", good);
    await page.waitForTimeout(1_000);
    expect((await server.stats()).calls.AcknowledgePublication).toBe(2);
  } finally {
    await server.dispose();
  }
});

test("an acknowledgement made offline arrives exactly once after the server returns, across a reload", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const version = await publishFor(server.url, "lobby-config", '{"welcome":"Hello"}');
    // Stored while this screen did not say who it is: nothing acknowledged yet.
    await installWorker(page, server.url);
    await page.goto(appUrl({ server: server.url, ids: ["lobby-config"] }));
    await expectShown(page, "lobby-config", { version, state: "live" });
    await server.kill();

    // Offline: the screen boots from its cache, shows the stored version and acknowledges it (queued).
    const offlineUrl = appUrl({ server: server.url, ids: ["lobby-config"], screen: SCREEN, backoffMs: 300 });
    await page.goto(offlineUrl);
    await expect(card(page, "lobby-config")).toHaveAttribute("data-version", version);
    await expect.poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.receipts.map((r) => r.status))).toEqual(["pending"]);
    // A reload while still offline: the same acknowledgement again, still one in the queue.
    await page.reload();
    await expect(card(page, "lobby-config")).toHaveAttribute("data-version", version);
    await expect.poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.receipts.map((r) => r.status))).toEqual(["pending"]);

    await server.restart();
    await expect.poll(async () => (await audienceOf(server.url, "lobby-config"))?.receipt, { timeout: 30_000 }).toBe(Receipt.ACCEPTED);
    await expect.poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.receipts.map((r) => r.status))).toEqual(["sent"]);
    await page.waitForTimeout(1_500);
    expect((await server.stats()).calls.AcknowledgePublication).toBe(1);
  } finally {
    await server.dispose();
  }
});

test("identical content re-published (same version, NO_SIGNAL again) is acknowledged again", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const body = '{"welcome":"Hello"}';
    const version = await publishFor(server.url, "lobby-config", body);
    await installWorker(page, server.url);
    await page.goto(appUrl({ server: server.url, ids: ["lobby-config"], screen: SCREEN }));
    await expect.poll(async () => (await audienceOf(server.url, "lobby-config"))?.receipt).toBe(Receipt.ACCEPTED);
    const first = (await audienceOf(server.url, "lobby-config"))?.receiptTime;

    // The server's own answer to the update shows the reset; a read after it
    // could already see the screen's new ACCEPTED (it acknowledges within ms).
    const republished = await apiClient(server.url).updatePublication({
      name: "",
      publication: { id: "lobby-config", body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: SCREEN } },
    });
    expect(republished.version).toBe(version);
    expect(republished.audience?.receipt).toBe(Receipt.NO_SIGNAL);
    await expect.poll(async () => (await audienceOf(server.url, "lobby-config"))?.receipt).toBe(Receipt.ACCEPTED);
    const second = (await audienceOf(server.url, "lobby-config"))?.receiptTime;
    expect(Number(second?.seconds) * 1e9 + (second?.nanos ?? 0)).toBeGreaterThan(Number(first?.seconds) * 1e9 + (first?.nanos ?? 0));
  } finally {
    await server.dispose();
  }
});
