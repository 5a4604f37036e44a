import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import QRCode from "qrcode";
import { expectControlled, expectShown, publication } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import {
  approveShownCode,
  authStats,
  collectIssuedSecrets,
  expectNoSecretStored,
  machinePublisher,
  signInAppUrl,
  signInPanel,
} from "./support/sign-in.js";

/** The wrapped sign-in as IndexedDB `pubcache-auth` holds it, read directly: what kind of key, and whether it can be exported. */
function wrappedSignIn(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open("pubcache-auth");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const keys = await all<CryptoKey>("keys");
    const records = await all<{ ciphertext?: ArrayBuffer; iv?: Uint8Array; generation: number }>("sign-ins");
    db.close();
    const key = keys[0]!;
    const exported = await crypto.subtle.exportKey("raw", key).then(
      () => "exported",
      (error: DOMException) => error.name,
    );
    return {
      keyCount: keys.length,
      isCryptoKey: key instanceof CryptoKey,
      extractable: key.extractable,
      algorithm: (key.algorithm as AesKeyAlgorithm).name,
      exported,
      records: records.map((r) => ({ ciphertextBytes: r.ciphertext?.byteLength ?? 0, ivBytes: r.iv?.byteLength ?? 0, generation: r.generation })),
    };
  });
}

test("device flow: a screen with no credentials shows the code and QR code over its cards; approved through the identity provider, the data appears; no token is stored", async ({
  context,
  page,
}) => {
  const server = await DevServer.start({ auth: true, pollIntervalS: 1 });
  try {
    const issued = collectIssuedSecrets(context);
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(message.text()));
    const publish = machinePublisher(server);
    const v1 = await publish("notice", "Lift 2 is out of service");

    await page.goto(signInAppUrl(server, { ids: ["notice"], backoffMs: 500 }));
    const { panel, code, uri, qr } = signInPanel(page);
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute("data-kind", "code");
    await expect(code).toHaveText(/^[A-Z]{4}-[A-Z]{4}$/);
    await expect.poll(() => issued.deviceAnswers.length).toBe(1);
    const device = issued.deviceAnswers[0] as { user_code: string; verification_uri: string; verification_uri_complete: string };
    await expect(code).toHaveText(device.user_code);
    await expect(uri).toHaveText(device.verification_uri);
    // The QR code encodes the complete address: the very drawing qrcode makes of it, with the panel's options.
    await expect(qr).toHaveAttribute("data-qr-text", device.verification_uri_complete);
    const drawn = await qr.locator("svg path").evaluateAll((paths) => paths.map((p) => p.getAttribute("d")));
    const expected = await QRCode.toString(device.verification_uri_complete, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } });
    expect(drawn.length).toBeGreaterThan(0);
    for (const d of drawn) expect(expected).toContain(`d="${d}"`);
    await expect(qr.locator("svg")).toBeVisible();
    // Over the cards, not instead of them: the card is on screen, saying sign-in is needed.
    await expect(publication(page, "notice")).toBeVisible();
    await expect(publication(page, "notice")).toHaveAttribute("data-state", "needs-auth");
    await expectNoSecretStored(page, issued.secrets, "while the code is shown");
    // The panel passes the same accessibility check as the dashboard (no serious or critical violation).
    const axe = await new AxeBuilder({ page }).include("[data-auth-panel]").analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    await approveShownCode(page, server);
    await expect(panel).toBeHidden();
    await expectShown(page, "notice", { version: v1, state: "live", text: "Lift 2 is out of service" });
    await expectControlled(page);
    const v2 = await publish("notice", "Lift 2 is back");
    await expectShown(page, "notice", { version: v2, state: "live", text: "Lift 2 is back" });

    // Stored: a non-extractable AES-GCM key and one ciphertext; the tokens themselves nowhere.
    expect(await wrappedSignIn(page)).toEqual({
      keyCount: 1,
      isCryptoKey: true,
      extractable: false,
      algorithm: "AES-GCM",
      exported: "InvalidAccessError",
      records: [{ ciphertextBytes: expect.any(Number), ivBytes: 12, generation: 1 }],
    });
    expect(issued.secrets.size).toBeGreaterThanOrEqual(3); // device code, access token, refresh token
    await expectNoSecretStored(page, issued.secrets, "signed in");
    expect((await authStats(server)).deviceAuthorizations.started).toBe(1);
    // Nor did any reach the page's console (the scan above covers storage; this covers logs).
    for (const secret of issued.secrets) expect(consoleLines.some((line) => line.includes(secret))).toBe(false);
  } finally {
    await server.dispose();
  }
});

test("PERMISSION_DENIED: approved as a user without access, the screen says it is signed in but not allowed, not that it needs a sign-in", async ({ page }) => {
  const server = await DevServer.start({ auth: true, pollIntervalS: 1 });
  try {
    await machinePublisher(server)("site-config", '{"building": "Harbour House"}');
    await page.goto(signInAppUrl(server, { ids: ["site-config"], backoffMs: 500 }));
    await approveShownCode(page, server, "denied");
    const { panel } = signInPanel(page);
    await expect(panel).toHaveAttribute("data-kind", "not-allowed");
    await expect(panel).toContainText("This screen is signed in but not allowed to see Site.");
    await expect(panel).toContainText("Ask an administrator");
    await expect(panel.locator('[data-sign-in="code"]')).toBeHidden();
    expect(await page.evaluate(() => window.pubcacheApp.auth?.state.kind)).toBe("signed-in");
  } finally {
    await server.dispose();
  }
});

test("revoking every refresh token brings the panel back while the cached values stay on screen; approving again resumes live data", async ({ context, page }) => {
  test.setTimeout(120_000);
  const server = await DevServer.start({ auth: true, pollIntervalS: 1, accessTtlS: 20, faults: true });
  try {
    const issued = collectIssuedSecrets(context);
    const publish = machinePublisher(server);
    const v1 = await publish("notice", "Fire drill at 10:00");
    await page.goto(signInAppUrl(server, { ids: ["notice"], backoffMs: 500 }));
    const firstCode = await approveShownCode(page, server);
    await expectShown(page, "notice", { version: v1, state: "live", text: "Fire drill at 10:00" });
    await expectControlled(page);

    expect(await server.fault("/faults/revoke-refresh-tokens")).toEqual({ revoked: 1 });
    // The next renewal (at most 17 s away) is refused: the panel is back with a new code…
    const { panel, code } = signInPanel(page);
    await expect(panel).toHaveAttribute("data-kind", "code", { timeout: 30_000 });
    await expect(code).not.toHaveText(firstCode);
    // …over the cached value, which stays.
    await expectShown(page, "notice", { version: v1, text: "Fire drill at 10:00" });
    await expectNoSecretStored(page, issued.secrets, "after the revocation");

    // Once the last access token has expired, reconnecting is refused: sign-in needed, the value still shown.
    await expect
      .poll(
        async () => {
          await server.fault("/faults/end-streams?outcome=error&code=unavailable");
          return publication(page, "notice").getAttribute("data-state");
        },
        { timeout: 40_000, intervals: [2_000] },
      )
      .toBe("needs-auth");
    const v2 = await publish("notice", "Drill cancelled");
    await expectShown(page, "notice", { version: v1, state: "needs-auth", text: "Fire drill at 10:00" });

    await approveShownCode(page, server);
    await expect(panel).toBeHidden();
    await expectShown(page, "notice", { version: v2, state: "live", text: "Drill cancelled" });
    await expectNoSecretStored(page, issued.secrets, "signed in again");
    const stats = await authStats(server);
    expect(stats.tokenErrors.refresh_token).toBe(1);
    expect(stats.deviceAuthorizations.started).toBe(2);
  } finally {
    await server.dispose();
  }
});
