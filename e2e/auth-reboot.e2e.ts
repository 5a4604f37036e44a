import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, expect, test, type BrowserContext } from "@playwright/test";
import { expectControlled, expectShown } from "./support/app-page.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium.js";
import { DevServer } from "./support/dev-server.js";
import {
  approveShownCode,
  authStats,
  collectIssuedSecrets,
  expectNoSecretStored,
  machinePublisher,
  recordWhatIsShown,
  seen,
  signInAppUrl,
  signInPanel,
} from "./support/sign-in.js";

/** A browser on a profile directory that outlives it: closing and launching again is a rebooted kiosk. */
async function launchKiosk(profile: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], baseURL });
}

/** Whether any file of the profile directory contains `needle` (bytes as written). */
async function profileContains(dir: string, needle: string): Promise<boolean> {
  const bytes = Buffer.from(needle);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const content = await readFile(join(entry.parentPath, entry.name)).catch(() => Buffer.alloc(0));
    if (content.includes(bytes)) return true;
  }
  return false;
}

test("a rebooted kiosk (same browser profile) signs in by itself and shows live data without the panel; no token in its storage or profile files", async () => {
  test.setTimeout(120_000);
  const baseURL = test.info().project.use.baseURL!;
  const server = await DevServer.start({ auth: true, pollIntervalS: 1, accessTtlS: 20 });
  const profile = await mkdtemp(join(tmpdir(), "pubcache-kiosk-"));
  try {
    const publish = machinePublisher(server);
    const v1 = await publish("notice", "Welcome to Harbour House");
    const url = signInAppUrl(server, { ids: ["notice"], backoffMs: 500 });

    // First boot: a person approves the code.
    let kiosk = await launchKiosk(profile, baseURL);
    const firstBoot = collectIssuedSecrets(kiosk);
    let page = kiosk.pages()[0] ?? (await kiosk.newPage());
    await page.goto(url);
    await approveShownCode(page, server);
    await expectShown(page, "notice", { version: v1, state: "live" });
    await expectControlled(page);
    await expectNoSecretStored(page, firstBoot.secrets, "first boot");
    const before = await authStats(server);
    await kiosk.close();

    // Power cut. The profile on disk holds no token either (the refresh token is wrapped, the access token was in memory),
    // though it does hold what the cache stored (the scan can find a stored string).
    expect(await profileContains(profile, "Welcome to Harbour House")).toBe(true);
    for (const secret of firstBoot.secrets) expect(await profileContains(profile, secret), "a token in the profile's files").toBe(false);

    // Second boot: nobody there.
    kiosk = await launchKiosk(profile, baseURL);
    await recordWhatIsShown(kiosk);
    const secondBoot = collectIssuedSecrets(kiosk);
    page = kiosk.pages()[0] ?? (await kiosk.newPage());
    await page.goto(url);
    await expectShown(page, "notice", { version: v1, state: "live" });
    const v2 = await publish("notice", "Lift 2 is back");
    await expectShown(page, "notice", { version: v2, state: "live", text: "Lift 2 is back" });
    await expect(signInPanel(page).panel).toBeHidden();
    expect((await seen(page)).panel, "the sign-in panel never showed").toEqual([]);
    const after = await authStats(server);
    expect(after.deviceAuthorizations.started - before.deviceAuthorizations.started).toBe(0);
    expect(after.tokenRequests.refresh_token - before.tokenRequests.refresh_token).toBeGreaterThanOrEqual(1);
    expect(after.tokenErrors.refresh_token).toBe(0);
    await expectNoSecretStored(page, [...firstBoot.secrets, ...secondBoot.secrets], "second boot");
    await kiosk.close();
    for (const secret of secondBoot.secrets) expect(await profileContains(profile, secret), "a token in the profile's files").toBe(false);
  } finally {
    await server.dispose();
    await rm(profile, { recursive: true, force: true });
  }
});

test("a copy of the whole profile can use the wrapped sign-in (the key is in the profile), and the original screen then asks for a new sign-in (theft shows)", async () => {
  test.setTimeout(120_000);
  const baseURL = test.info().project.use.baseURL!;
  const server = await DevServer.start({ auth: true, pollIntervalS: 1, accessTtlS: 20 });
  const profile = await mkdtemp(join(tmpdir(), "pubcache-kiosk-"));
  const stolen = await mkdtemp(join(tmpdir(), "pubcache-stolen-"));
  try {
    const v1 = await machinePublisher(server)("notice", "Board meeting at 3");
    const url = signInAppUrl(server, { ids: ["notice"], backoffMs: 500 });
    let kiosk = await launchKiosk(profile, baseURL);
    let page = kiosk.pages()[0] ?? (await kiosk.newPage());
    await page.goto(url);
    await approveShownCode(page, server);
    await expectShown(page, "notice", { version: v1, state: "live" });
    await kiosk.close();

    // The whole profile, copied while the kiosk is off, opened in another browser: signed in without anyone.
    await cp(profile, stolen, { recursive: true });
    const thief = await launchKiosk(stolen, baseURL);
    const thiefPage = thief.pages()[0] ?? (await thief.newPage());
    await thiefPage.goto(url);
    await expectShown(thiefPage, "notice", { version: v1, state: "live" });
    expect(await thiefPage.evaluate(() => window.pubcacheApp.auth?.state.kind)).toBe("signed-in");
    await thief.close();

    // The real screen boots with the refresh token the thief already spent: a reuse, so the whole sign-in is revoked.
    kiosk = await launchKiosk(profile, baseURL);
    page = kiosk.pages()[0] ?? (await kiosk.newPage());
    await page.goto(url);
    await expect(signInPanel(page).panel).toHaveAttribute("data-kind", "code");
    await expectShown(page, "notice", { version: v1 }); // the cached value stays
    expect((await authStats(server)).tokenErrors.refresh_token).toBe(1);
    await kiosk.close();
  } finally {
    await server.dispose();
    await rm(profile, { recursive: true, force: true });
    await rm(stolen, { recursive: true, force: true });
  }
});
