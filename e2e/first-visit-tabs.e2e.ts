import { expect, test, type Browser } from "@playwright/test";
import { appUrl } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publishBody } from "./dashboard-support/demo-data.js";

/**
 * A first visit with several tabs ends with the worker controlling every
 * tab, every time. The scenario that failed in the field 2 times out of 8:
 * in a fresh profile, three tabs of the dashboard opened one after the
 * other (four publications, one of 200 KB); a tab was still not controlled
 * 30 s later.
 *
 * The cause: `clients.claim()` skips pages that are not "execution ready"
 * yet — a tab whose navigation started before the worker activated and
 * whose document arrived after the worker's claim ran was never claimed.
 * The first test makes that timing certain (the tab's document is held back
 * until the worker is active); the second repeats the field scenario in
 * fresh profiles (browser contexts) side by side, since it is a race.
 */
const RUNS = 8;
const IDS = ["site", "alarms", "notice", "plan"];

async function firstVisit(browser: Browser, server: DevServer, run: number): Promise<string | undefined> {
  const context = await browser.newContext();
  try {
    const url = appUrl({ server: server.url, ids: IDS });
    const tabs = [];
    for (let i = 0; i < 3; i++) {
      const tab = await context.newPage();
      await tab.goto(url);
      tabs.push(tab);
    }
    const deadline = Date.now() + 20_000;
    for (const [i, tab] of tabs.entries()) {
      for (;;) {
        if (await tab.evaluate(() => navigator.serviceWorker.controller?.state === "activated")) break;
        if (Date.now() > deadline) {
          const why = await tab.evaluate(async () => {
            const r = await navigator.serviceWorker.getRegistration();
            return JSON.stringify({ active: r?.active?.state, installing: r?.installing?.state, waiting: r?.waiting?.state, ready: document.readyState, mode: window.pubcacheApp?.client.diagnostics.mode });
          });
          return `run ${run}: tab ${i + 1} of 3 not controlled after 20 s ${why}`;
        }
        await tab.waitForTimeout(100);
      }
    }
    return undefined;
  } finally {
    await context.close();
  }
}

test("a tab whose page arrived after the worker activated asks to be claimed, and is controlled", async ({ browser }) => {
  const server = await DevServer.start();
  const context = await browser.newContext();
  try {
    await publishBody(server.url, "plan", "x".repeat(200_000), "text/plain");
    const url = appUrl({ server: server.url, ids: ["plan"] });
    const first = await context.newPage();
    await first.goto(url);
    const late = await context.newPage();
    // The late tab's document is on its way while the worker installs and
    // activates (a slow network, a busy kiosk), and arrives after the claim.
    await late.route("**/?*", async (route) => {
      if (route.request().resourceType() !== "document") return route.continue();
      const response = await route.fetch();
      await expect.poll(() => first.evaluate(() => navigator.serviceWorker.controller?.state ?? null)).toBe("activated");
      await route.fulfill({ response });
    });
    await late.goto(url);
    await expect.poll(() => late.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 10_000 }).toBe("activated");
  } finally {
    await context.close();
    await server.dispose();
  }
});

test(`first visit with three tabs: the worker controls every tab, in ${RUNS} fresh profiles`, async ({ browser }) => {
  test.setTimeout(180_000);
  const server = await DevServer.start();
  try {
    await publishBody(server.url, "site", '{"name":"Building 1"}', "application/json");
    await publishBody(server.url, "alarms", '{"level":"none"}', "application/json");
    await publishBody(server.url, "notice", "Lift 2 is out of service", "text/plain");
    await publishBody(server.url, "plan", "x".repeat(200_000), "text/plain");
    const failures: string[] = [];
    // Two profiles at a time: the machine has two cores.
    for (let run = 0; run < RUNS; run += 2) {
      const outcomes = await Promise.all([firstVisit(browser, server, run), firstVisit(browser, server, run + 1)]);
      failures.push(...outcomes.filter((o): o is string => o !== undefined));
    }
    expect(failures).toEqual([]);
  } finally {
    await server.dispose();
  }
});
