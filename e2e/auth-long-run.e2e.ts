import { expect, test } from "@playwright/test";
import { expectControlled, expectShown, hostMode, shownHistory, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import {
  approveShownCode,
  authStats,
  collectIssuedSecrets,
  expectNoSecretStored,
  forgetWhatWasShown,
  machinePublisher,
  recordWhatIsShown,
  seen,
  signInAppUrl,
  signInPanel,
} from "./support/sign-in.js";

const ACCESS_TTL_S = 20;
const RUN_MS = 180_000;
/** The earliest point of a lifetime at which a token is renewed (src/auth/refresh-schedule.ts: 75–85 %). */
const EARLIEST_RENEWAL = 0.75;

test("20-second tokens for 3 minutes, two tabs hosted by the worker (stopped once by the browser): never a needs-auth, every version shown, each token renewed once between them, no token stored", async ({ context }) => {
  test.setTimeout(RUN_MS + 120_000);
  const server = await DevServer.start({ auth: true, pollIntervalS: 1, accessTtlS: ACCESS_TTL_S, faults: true });
  try {
    const issued = collectIssuedSecrets(context);
    await recordWhatIsShown(context);
    const publish = machinePublisher(server);
    const url = signInAppUrl(server, { ids: ["notice"], backoffMs: 500 });
    const versions = [await publish("notice", "update 0")];

    const first = await context.newPage();
    await first.goto(url);
    await approveShownCode(first, server);
    await expectShown(first, "notice", { version: versions[0]!, state: "live" });
    await expectControlled(first);
    // The second tab takes the first one's token: no code, no renewal of its own.
    const second = await context.newPage();
    await second.goto(url);
    await expectShown(second, "notice", { version: versions[0]!, state: "live" });
    await expectControlled(second);
    const tabs = [first, second];
    for (const tab of tabs) expect(await hostMode(tab)).toBe("service-worker");
    for (const tab of tabs) await forgetWhatWasShown(tab);

    const start = await authStats(server);
    const startedAt = Date.now();
    let lastReconnect = startedAt;
    let lastScan = startedAt;
    let workerStopped = false;
    const events: string[] = [];
    for (let n = 1; Date.now() - startedAt < RUN_MS; n++) {
      versions.push(await publish("notice", `update ${n}`));
      for (const tab of tabs) await expectShown(tab, "notice", { version: versions.at(-1)!, state: "live", text: `update ${n}` });
      const elapsed = Date.now() - startedAt;
      // New calls must carry a valid token: every 25 s the server drops every stream, so the host reconnects with the token it holds now.
      if (Date.now() - lastReconnect > 25_000) {
        await server.fault("/faults/end-streams?outcome=error&code=unavailable");
        lastReconnect = Date.now();
        events.push(`streams ended@${lastReconnect}`);
      }
      // Once, half-way: the browser stops the worker; the restarted one gets the token from a tab's memory.
      if (!workerStopped && elapsed > RUN_MS / 2) {
        await stopAllServiceWorkers(context, first);
        workerStopped = true;
        events.push(`worker stopped@${Date.now()}`);
      }
      if (Date.now() - lastScan > 60_000) {
        await expectNoSecretStored(first, issued.secrets, `after ${Math.round(elapsed / 1000)} s`);
        lastScan = Date.now();
      }
      await first.waitForTimeout(2_000);
    }
    const elapsedMs = Date.now() - startedAt;
    const end = await authStats(server);

    // Zero needs-auth shown, no sign-in panel, in either tab, for the whole run.
    for (const tab of tabs) {
      const { states, panel } = await seen(tab);
      const timeline = [...states, ...events].sort((a, b) => Number(a.split("@")[1]) - Number(b.split("@")[1])).join("\n");
      expect(states.filter((state) => state.includes(":needs-auth@")), `needs-auth shown:\n${timeline}`).toEqual([]);
      expect(panel, "sign-in panel shown").toEqual([]);
      await expect(signInPanel(tab).panel).toBeHidden();
      // Every published version arrived, in order.
      const history = await shownHistory(tab, "notice");
      expect(history.slice(history.indexOf(versions[0]!))).toEqual(versions);
    }
    // Each token renewed once, between both tabs (the worker never renews): at most one renewal per earliest-renewal interval.
    const renewals = end.tokenRequests.refresh_token - start.tokenRequests.refresh_token;
    const lifetimes = elapsedMs / (ACCESS_TTL_S * 1000);
    expect(renewals).toBeGreaterThanOrEqual(Math.floor(lifetimes) - 1);
    expect(renewals).toBeLessThanOrEqual(Math.floor(elapsedMs / (EARLIEST_RENEWAL * ACCESS_TTL_S * 1000)) + 1);
    expect(end.tokenErrors.refresh_token).toBe(0);
    expect(end.deviceAuthorizations.started).toBe(1);
    for (const tab of tabs) await expectNoSecretStored(tab, issued.secrets, "at the end");
    test.info().annotations.push({ type: "renewals", description: `${renewals} renewals in ${Math.round(elapsedMs / 1000)} s (${lifetimes.toFixed(1)} lifetimes), ${versions.length} versions` });
  } finally {
    await server.dispose();
  }
});
