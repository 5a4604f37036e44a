import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { apiClient, card } from "./dashboard-support/demo-data.js";
import { appUrl, expectControlled, stopAllServiceWorkers, storedRecords } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { approveShownCode, signInAppUrl, signInPanel } from "./support/sign-in.js";
import { clientCredentialsBearer } from "../src/server/idp/client-credentials-bearer.js";
import { publicationClient } from "../src/server/testing/test-server.js";

/**
 * A named screen (`?screen=`, no `ids`) runs by its `<screen>:config`
 * publication (docs/screen-config.md): what it shows, in what order, how it
 * pages; a refused version is REJECTED with its reason (the fleet view shows
 * it) and the screen keeps the last good one; the configuration is cached,
 * so a screen booting offline runs it; `reload` and `clearCache` act once
 * per new value.
 */
const SCREEN = "kiosk-1";
const CONFIG = `${SCREEN}:config`;

async function put(server: string, id: string, body: unknown, audience?: string): Promise<string> {
  const client = apiClient(server);
  const publication = {
    id,
    body: new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)),
    mediaType: "application/json",
    ...(audience && { audience: { name: audience } }),
  };
  try {
    return (await client.createPublication({ name: "", publication })).version;
  } catch {
    return (await client.updatePublication({ name: "", publication })).version;
  }
}

const configure = (server: string, config: unknown) => put(server, CONFIG, config, SCREEN);
const audienceOf = async (server: string, id: string) => (await apiClient(server).getPublication({ name: "", id })).audience;

/** Three publications, each a list long enough that one column cannot hold them all on one page. */
async function publishThree(server: string) {
  for (const id of ["north-wing", "south-wing", "east-wing"]) {
    await put(server, id, { rooms: Array.from({ length: 12 }, (_, i) => ({ room: `${id} ${i + 1}`, temperature: 20 + (i % 4) })) });
  }
}

/** The ids of the cards on the page, in order. */
const shownIds = (page: Page) => page.locator("[data-publication-id]").evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.publicationId));

async function openScreen(page: Page, server: string) {
  await page.goto(appUrl({ server, ids: ["warm-up"] }));
  await expectControlled(page);
  await page.goto(appUrl({ server, ids: [], screen: SCREEN, backoffMs: 500 }));
}

async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, animations: "disabled" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("a configuration changes a running screen's publications and paging live; an invalid one is rejected with its reason (fleet view) and the last good one stays, also on an offline reboot", async ({
  context,
  page,
}, testInfo) => {
  const server = await DevServer.start();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await publishThree(server.url);
    const first = await configure(server.url, { title: "Lobby", show: ["north-wing", "south-wing"], pageSeconds: 20 });
    await openScreen(page, server.url);
    await expect.poll(() => shownIds(page)).toEqual(["north-wing", "south-wing"]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lobby");
    await expect(page.locator("main")).toHaveAttribute("data-page-ms", "20000");
    await expect(card(page, CONFIG)).toHaveCount(0);
    await expect.poll(async () => (await audienceOf(server.url, CONFIG))?.receipt).toBe(Receipt.ACCEPTED);
    expect((await audienceOf(server.url, CONFIG))?.receipt).toBe(Receipt.ACCEPTED);
    expect((await apiClient(server.url).getPublication({ name: "", id: CONFIG })).version).toBe(first);

    // Live: other publications in another order, one column, pages of 2 s. No reload.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await configure(server.url, { title: "Lobby, east side", show: ["east-wing", "north-wing", "south-wing", CONFIG], pageSeconds: 2, columns: 1, theme: "dark" });
    await expect.poll(() => shownIds(page)).toEqual(["east-wing", "north-wing", "south-wing"]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lobby, east side");
    await expect(page.locator("main")).toHaveAttribute("data-page-ms", "2000");
    await expect(page.locator("main")).toHaveAttribute("data-grid", /^1×/);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    // Three long cards in one column: more than one page.
    await expect(page.locator("main")).not.toHaveAttribute("data-pages", "1");
    // It pages by itself, on the new timer: page 2 comes, then page 1 again.
    await expect(page.locator("main")).toHaveAttribute("data-page", "2");
    await expect(page.locator("main")).toHaveAttribute("data-page", "1");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await snapshot(page, testInfo, "configured-1280x800");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect(page.locator("main")).toHaveAttribute("data-grid", /^1×/);
    await snapshot(page, testInfo, "configured-1920x1080");
    await page.setViewportSize({ width: 1280, height: 800 });

    // Refused: REJECTED with the parser's reason; the screen keeps what it had.
    const invalid = await configure(server.url, { title: "Broken", show: "east-wing", pageSeconds: 5 });
    await expect.poll(async () => (await audienceOf(server.url, CONFIG))?.receipt).toBe(Receipt.REJECTED);
    const reason = (await audienceOf(server.url, CONFIG))?.receiptRejectedReason;
    expect(reason).toBe('"show" must be a list of publication ids (got "east-wing")');
    await expect(card(page, CONFIG)).toHaveCount(0);
    expect(await shownIds(page)).toEqual(["east-wing", "north-wing", "south-wing"]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lobby, east side");
    await expect(page.locator("main")).toHaveAttribute("data-page-ms", "2000");

    // The fleet view says so, with the reason.
    const fleet = await context.newPage();
    await fleet.setViewportSize({ width: 1280, height: 800 });
    await fleet.goto(`${appUrl({ server: server.url, ids: [] })}&view=fleet`);
    const row = fleet.locator(`[data-screen="${SCREEN}"] [data-publication="${CONFIG}"]`);
    await expect(row).toHaveAttribute("data-receipt", "rejected");
    await expect(row).toHaveAttribute("data-version", invalid);
    await expect(row).toContainText(`Rejected: ${reason}`);
    await snapshot(fleet, testInfo, "fleet-rejected-1280x800");
    await fleet.close();

    // Rebooting offline, the cached (refused) version is refused again and the last good one runs.
    await server.kill();
    await stopAllServiceWorkers(context, page);
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => shownIds(page)).toEqual(["east-wing", "north-wing", "south-wing"]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lobby, east side");
    await expect(card(page, "east-wing")).not.toHaveAttribute("data-version", "");
  } finally {
    await context.setOffline(false);
    await server.dispose();
  }
});

test("a screen booting offline runs its configuration from the cache (IndexedDB, nothing else kept)", async ({ context, page }, testInfo) => {
  const server = await DevServer.start();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await publishThree(server.url);
    const version = await configure(server.url, { title: "South lobby", show: ["south-wing", "east-wing"], pageSeconds: 7 });
    await openScreen(page, server.url);
    await expect.poll(() => shownIds(page)).toEqual(["south-wing", "east-wing"]);
    await expect(card(page, "east-wing")).toHaveAttribute("data-state", "live");
    await expect.poll(async () => (await storedRecords(page)).some((r) => r.id === CONFIG && r.version === version)).toBe(true);

    await server.kill();
    await stopAllServiceWorkers(context, page);
    await context.setOffline(true);
    // Only the cache of publications is left: the copy of the last good configuration is gone.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect.poll(() => shownIds(page)).toEqual(["south-wing", "east-wing"]);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("South lobby");
    await expect(page.locator("main")).toHaveAttribute("data-page-ms", "7000");
    await expect(card(page, "south-wing")).not.toHaveAttribute("data-version", "");
    await snapshot(page, testInfo, "offline-boot-1280x800");
  } finally {
    await context.setOffline(false);
    await server.dispose();
  }
});

test("reload reloads once; clearCache clears once; tokens found on a fresh screen do nothing", async ({ page }) => {
  const server = await DevServer.start();
  try {
    await publishThree(server.url);
    await configure(server.url, { title: "One", show: ["north-wing"], reload: "r1", clearCache: "c1" });
    let loads = 0;
    page.on("load", () => void (loads += 1));
    const cleared: string[] = [];
    page.on("console", (message) => {
      if (message.text().startsWith("screen care: clearing")) cleared.push(message.text());
    });
    await openScreen(page, server.url);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("One");
    await expect(card(page, "north-wing")).toHaveAttribute("data-state", "live");
    const loadsAtStart = loads;

    // A title change is how the test knows the screen has read a configuration since.
    await configure(server.url, { title: "Two", show: ["north-wing"], reload: "r2", clearCache: "c1" });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Two");
    await expect.poll(() => loads).toBe(loadsAtStart + 1);
    await configure(server.url, { title: "Three", show: ["north-wing"], reload: "r2", clearCache: "c1" });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Three");
    expect(loads).toBe(loadsAtStart + 1);
    expect(cleared).toEqual([]);

    await configure(server.url, { title: "Four", show: ["north-wing"], reload: "r2", clearCache: "c2" });
    await expect.poll(() => cleared).toEqual(["screen care: clearing the cache (c2)"]);
    // Cleared, then filled again from the server: the card comes back.
    await expect(card(page, "north-wing")).toHaveAttribute("data-state", "live");
    await expect(card(page, "north-wing")).not.toHaveAttribute("data-version", "");
    await configure(server.url, { title: "Five", show: ["north-wing"], reload: "r2", clearCache: "c2" });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Five");
    expect(cleared).toHaveLength(1);
    expect(loads).toBe(loadsAtStart + 1);
  } finally {
    await server.dispose();
  }
});

test("signOut signs the screen out once: it asks for a new sign-in, and signed in again it stays signed in", async ({ page }) => {
  const server = await DevServer.start({ auth: true, pollIntervalS: 1 });
  try {
    const client = publicationClient(server.url, [
      clientCredentialsBearer({ tokenUrl: `${server.url}/oauth2/token`, clientId: "signage-server", clientSecret: "signage-secret" }),
    ]);
    const put = async (id: string, body: unknown, audience?: string) => {
      const publication = { id, body: new TextEncoder().encode(JSON.stringify(body)), mediaType: "application/json", ...(audience && { audience: { name: audience } }) };
      await client.createPublication({ name: "", publication }).catch(() => client.updatePublication({ name: "", publication }));
    };
    await put("north-wing", { rooms: [{ room: "N1", temperature: 21 }] });
    await put(CONFIG, { title: "Signed", show: ["north-wing"], signOut: "s1" }, SCREEN);
    const signedOut: string[] = [];
    page.on("console", (message) => {
      if (message.text().startsWith("screen care: signing out")) signedOut.push(message.text());
    });
    await page.goto(signInAppUrl(server, { ids: [], screen: SCREEN, backoffMs: 500 }));
    await approveShownCode(page, server);
    await expect(card(page, "north-wing")).toHaveAttribute("data-state", "live");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signed");
    await expect(signInPanel(page).panel).toBeHidden();

    await put(CONFIG, { title: "Signed out", show: ["north-wing"], signOut: "s2" }, SCREEN);
    await expect(signInPanel(page).panel).toHaveAttribute("data-kind", "code");
    expect(signedOut).toEqual(["screen care: signing out (s2)"]);

    // Signed in again: the same token does nothing more.
    await approveShownCode(page, server);
    await expect(signInPanel(page).panel).toBeHidden();
    await put(CONFIG, { title: "Signed in again", show: ["north-wing"], signOut: "s2" }, SCREEN);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signed in again");
    await expect(signInPanel(page).panel).toBeHidden();
    expect(signedOut).toHaveLength(1);
  } finally {
    await server.dispose();
  }
});
