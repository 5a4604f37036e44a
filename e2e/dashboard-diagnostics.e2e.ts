import { expect, test } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { DEMO_PUBLICATION_IDS } from "../src/dashboard/titles.js";
import { appUrl, expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { apiClient, card, openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

test.use({ viewport: { width: 1280, height: 800 } });

test("diagnostics (key D): host mode, worker and page builds, storage, per publication state, confirmation and errors; clear cache", async ({
  page,
}, testInfo) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url, { backoffMs: 2_000 });
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");

    await page.keyboard.press("d");
    const panel = page.getByRole("dialog", { name: "Diagnostics" });
    await expect(panel).toBeVisible();
    const value = (name: string) => panel.locator(`[data-diag="${name}"]`);

    await expect(value("host-mode")).toHaveText("Service worker");
    await expect(value("worker-state")).toHaveText("activated (/sw.js)");
    // The worker's build is the precache revision of the shell it serves; the page's, its script hash.
    const revision = await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
          const url = new URL(request.url);
          if (url.pathname.endsWith("/index.html")) return url.searchParams.get("__WB_REVISION__");
        }
      }
      return null;
    });
    expect(revision).toBeTruthy();
    await expect(value("worker-build")).toHaveText(revision!.slice(0, 8));
    const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[type=module]")!.src);
    await expect(value("page-build")).toHaveText(/-([\w-]+)\.js$/.exec(script)![1]!);

    // Storage: the browser's own answers.
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await expect(value("persisted")).toHaveText(persisted ? /^Granted/ : /^Not granted/);
    // Sizes by one rule (byte-size.ts): never bytes.
    await expect(value("usage")).toHaveText(/^[\d.,]+ (kB|MB|GB) of [\d.,]+ (kB|MB|GB|TB) available$/);
    await expect(value("cache-size")).toHaveText(/^4 of 4, [\d.,]+ kB$/);

    for (const id of DEMO_PUBLICATION_IDS) {
      const row = panel.locator(`tr[data-diag-publication="${id}"]`);
      await expect(row.locator('[data-diag="upstream"]')).toHaveText("live");
      await expect(row.locator('[data-diag="version"]')).toHaveText(versions[id]!.slice(0, 8));
      await expect(row.locator('[data-diag="source"]')).toHaveText(/^(stream|storage)$/);
      await expect(row.locator('[data-diag="last-confirmed"]')).toHaveText(/^\d{1,2}:\d{2}.* \((now|\d+ seconds? ago)\)$/);
      await expect(row.locator('[data-diag="last-error"]')).toHaveText("none");
      await expect(row.locator('[data-diag="size"]')).toHaveText(/^[\d.]+ kB$/);
    }

    const shot = testInfo.outputPath("diagnostics.png");
    await page.screenshot({ path: shot });
    await testInfo.attach("diagnostics", { path: shot, contentType: "image/png" });

    // The server goes away: the rows say so, with the error the cache saw.
    await server.kill();
    const row = panel.locator('tr[data-diag-publication="site-config"]');
    await expect(row.locator('[data-diag="upstream"]')).toHaveText(/^retrying in \d+ s$/);
    // In plain words, the code beside; what the browser said ("unknown: Failed to fetch") in the tooltip.
    await expect(row.locator('[data-diag="last-error"]')).toHaveText(/^Cannot reach the server \(unavailable\) at \d{1,2}:\d{2}/);
    await expect(row.locator('[data-diag="last-error"]')).toHaveAttribute("title", /^unknown: /);

    await panel.getByRole("button", { name: "Clear cache" }).click();
    await expect(value("clear-result")).toHaveText("Cache cleared. Data is fetched again from the server.");
    await expect(value("cache-size")).toHaveText(/^0 of 4, /);
    await expect(card(page, "site-config")).toHaveAttribute("data-version", "");
    await expect(card(page, "site-config").locator(".placeholder")).toHaveText("No data yet");

    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  } finally {
    await server.dispose();
  }
});

test("diagnostics: the receipts this screen sent and is waiting to send, and why they wait, in plain words", async ({ page }, testInfo) => {
  const SCREEN = "lobby-1";
  const server = await DevServer.start();
  try {
    const publish = async (id: string, body: string) => {
      const publication = { id, body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: SCREEN } };
      return (await apiClient(server.url).createPublication({ name: "", publication })).version;
    };
    const good = await publish("lobby-config", '{"welcome":"Hello"}');
    await publish("lobby-rules", '{"rules": [1, 2,');
    const ids = ["lobby-config", "lobby-rules"];
    // Stored while the screen did not say who it is; then it boots with its name and the server gone: its receipts wait.
    await page.goto(appUrl({ server: server.url, ids: ["warm-up"] }));
    await expectControlled(page);
    await page.goto(appUrl({ server: server.url, ids }));
    await expect(card(page, "lobby-config")).toHaveAttribute("data-shown-version", good);
    await server.kill();
    await page.goto(appUrl({ server: server.url, ids, screen: SCREEN, backoffMs: 300 }));
    await expect(card(page, "lobby-config")).toHaveAttribute("data-shown-version", good);

    await page.keyboard.press("d");
    const panel = page.getByRole("dialog", { name: "Diagnostics" });
    const value = (name: string) => panel.locator(`[data-diag="${name}"]`);
    await expect(value("receipts-summary")).toHaveText("0 sent, 2 waiting, 0 refused · last attempt: Cannot reach the server (unavailable)");
    const receipt = (id: string, name: string) => panel.locator(`tr[data-diag-receipt="${id}"] [data-diag="${name}"]`);
    await expect(receipt("lobby-config", "receipt")).toHaveText("Accepted");
    await expect(receipt("lobby-rules", "receipt")).toHaveText(/^Rejected: not valid JSON: /);
    for (const id of ids) {
      await expect(receipt(id, "status")).toHaveText(/^Waiting to be sent since \d{1,2}:\d{2}/);
    }
    await expect(panel.locator('tr[data-diag-publication="lobby-config"] [data-diag="last-error"]')).toHaveText(/^Cannot reach the server \(unavailable\)/);
    await expect(panel.locator('tr[data-diag-publication="lobby-config"] [data-diag="size"]')).toHaveText("0.1 kB");
    await panel.evaluate((dialog) => dialog.querySelector('[data-diag="receipts-table"]')?.scrollIntoView());
    const offline = testInfo.outputPath("diagnostics-receipts-waiting-1280x800.png");
    await page.screenshot({ path: offline });
    await testInfo.attach("diagnostics: receipts waiting, server unreachable, 1280×800", { path: offline, contentType: "image/png" });

    await server.restart();
    await expect(value("receipts-summary")).toHaveText("2 sent, 0 waiting, 0 refused", { timeout: 40_000 });
    for (const id of ids) await expect(receipt(id, "status")).toHaveText(/^Sent at \d{1,2}:\d{2}/);
    await expect.poll(async () => (await apiClient(server.url).getPublication({ name: "", id: "lobby-rules" })).audience?.receipt).toBe(Receipt.REJECTED);
    const sent = testInfo.outputPath("diagnostics-receipts-sent-1280x800.png");
    await page.screenshot({ path: sent });
    await testInfo.attach("diagnostics: receipts sent, 1280×800", { path: sent, contentType: "image/png" });
  } finally {
    await server.dispose();
  }
});
