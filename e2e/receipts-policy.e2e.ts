import { expect, test, type Page } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { clientCredentialsBearer } from "../src/server/idp/client-credentials-bearer.js";
import { accessTokenOf, passwordGrant } from "../src/server/idp/testing/oauth-requests.js";
import { publicationClient } from "../src/server/testing/test-server.js";
import { appUrl, expectControlled, expectShown } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { approveShownCode, signInAppUrl } from "./support/sign-in.js";

/**
 * Receipts refused by the server's access policy (issue 17, item 5): a
 * kiosk signed in with a read-only account (`viewer`, as BOS's default
 * policy treats `trait:read`) may read every publication but is refused
 * every AcknowledgePublication. The screen asks once, stops, and says so in
 * one diagnostics line; the fleet view in the same browser says the
 * receipts are refused rather than "no signal yet". Another account that
 * may write sends what waited, each once.
 */
const SCREEN = "lobby";
// Not `lobby:config`: that is the screen's own configuration, never a card (docs/screen-config.md).
const LOBBY_IDS = ["lobby:notice", "lobby:welcome"];
const REFUSED_LINE = "This sign-in may not send receipts; the server needs a role that can write publications";

test.use({ viewport: { width: 1280, height: 800 } });

/** Publishes as the signage machine client (a role that may write), addressed to `screen`. */
function publisher(server: DevServer) {
  const client = publicationClient(server.url, [
    clientCredentialsBearer({ tokenUrl: `${server.url}/oauth2/token`, clientId: "signage-server", clientSecret: "signage-secret" }),
  ]);
  return {
    publish: async (id: string, screen: string, body: string) =>
      (await client.createPublication({ name: "", publication: { id, body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: screen } } }))
        .version,
    receipt: async (id: string) => (await client.getPublication({ name: "", id })).audience?.receipt,
  };
}

const receiptStatuses = (page: Page) =>
  page.evaluate(() => {
    const { receipts, receiptsRefusedSince } = window.pubcacheApp.client.diagnostics;
    return { statuses: receipts.map((r) => `${r.id}:${r.status}`).sort(), refused: receiptsRefusedSince !== undefined };
  });

async function screenshot(page: Page, testInfo: import("@playwright/test").TestInfo, name: string) {
  const shot = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: shot });
  await testInfo.attach(name, { path: shot, contentType: "image/png" });
}

test("a viewer sign-in: one refused Acknowledge, one diagnostics line, the fleet view says refused; an account that may write sends each once", async ({
  context,
  page,
}, testInfo) => {
  const server = await DevServer.start({ auth: true });
  try {
    const api = publisher(server);
    const versions = {
      "lobby:welcome": await api.publish("lobby:welcome", SCREEN, '{"welcome":"Hello"}'),
      "lobby:notice": await api.publish("lobby:notice", SCREEN, '{"lift":"out of service"}'),
    };
    await api.publish("cafe:config", "cafe", '{"menu":"soup"}');

    // The worker first, so the kiosk and the fleet view share one cache host.
    await page.goto(appUrl({ server: server.url, ids: ["warm-up"] }));
    await expectControlled(page);

    await page.goto(signInAppUrl(server, { ids: LOBBY_IDS, screen: SCREEN }));
    await approveShownCode(page, server, "viewer");
    for (const id of LOBBY_IDS) await expectShown(page, id, { version: versions[id as keyof typeof versions], state: "live" });

    // Both shown, both acknowledgements asked for: one call, refused; the other recorded refused without a call.
    await expect.poll(() => receiptStatuses(page)).toEqual({ statuses: ["lobby:notice:refused", "lobby:welcome:refused"], refused: true });
    expect((await server.stats()).calls.AcknowledgePublication).toBe(1);
    for (const id of LOBBY_IDS) expect(await api.receipt(id)).toBe(Receipt.NO_SIGNAL);

    await page.keyboard.press("d");
    const panel = page.getByRole("dialog", { name: "Diagnostics" });
    await expect(panel.locator('[data-diag="receipts-summary"]')).toHaveText(REFUSED_LINE);
    await expect(panel.getByText(REFUSED_LINE)).toHaveCount(1);
    await screenshot(page, testInfo, "diagnostics-receipts-refused-1280x800");

    // The fleet view in another tab of the same browser: refused for the kiosk's screen; the other screen is not known here.
    const fleet = await context.newPage();
    await fleet.goto(`${signInAppUrl(server, { ids: [] })}&view=fleet`);
    const lobby = fleet.locator(`[data-screen="${SCREEN}"]`);
    await expect(lobby).toHaveAttribute("data-status", "refused");
    for (const id of LOBBY_IDS) {
      const row = lobby.locator(`[data-publication="${id}"]`);
      await expect(row).toHaveAttribute("data-receipt", "refused");
      await expect(row.locator(".fleet-receipt")).toHaveText("Receipts refused by the server's policy");
    }
    await expect(fleet.locator('[data-screen="cafe"] .fleet-receipt')).toHaveText(/^No signal yet/);
    await expect(fleet.locator(".fleet-summary")).toHaveText("2 screens · 1 with receipts refused · 1 behind");
    await screenshot(fleet, testInfo, "fleet-receipts-refused-1280x800");

    // A renewed token of the same viewer sign-in is not new credentials: nothing is asked again.
    const renewed = accessTokenOf(await passwordGrant(server.url, "viewer", "viewer"));
    await page.evaluate((token) => window.pubcacheApp.setToken(token), renewed);
    // Another account, one that may write: what waited goes, each once.
    const admin = accessTokenOf(await passwordGrant(server.url, "admin", "admin"));
    await page.evaluate((token) => window.pubcacheApp.setToken(token), admin);
    for (const id of LOBBY_IDS) await expect.poll(() => api.receipt(id)).toBe(Receipt.ACCEPTED);
    await expect.poll(() => receiptStatuses(page)).toEqual({ statuses: ["lobby:notice:sent", "lobby:welcome:sent"], refused: false });
    expect((await server.stats()).calls.AcknowledgePublication).toBe(3);
    await expect(panel.locator('[data-diag="receipts-summary"]')).toHaveText("2 sent, 0 waiting, 0 refused");
    await expect(lobby).toHaveAttribute("data-status", "up-to-date");
    await expect(lobby.locator(".fleet-receipt").first()).toHaveText(/^Accepted at /);
  } finally {
    await server.dispose();
  }
});
