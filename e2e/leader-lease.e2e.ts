import { fileURLToPath } from "node:url";
import { chromium, expect, test, type Browser, type Page } from "@playwright/test";
import { appUrl, expectShown, hostMode } from "./support/app-page.js";
import { CHROMIUM_ARGS, requireChromium } from "./support/chromium.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";
import { StaticCopy } from "./support/static-server.js";

/**
 * A kiosk on a building network: the dashboard reached by a name over plain
 * http (http://kiosk.test:<port>/), so not a secure context — no service
 * worker, no `navigator.locks`. The tabs elect their leader with the lease in
 * IndexedDB (src/client/leader-lease.ts). The page on kiosk.test talks to the
 * development server on 127.0.0.1 cross-origin.
 */
const DIST = fileURLToPath(new URL("../dist", import.meta.url));

async function kiosk(run: (open: () => Promise<Page>, server: DevServer, ids: { a1: string; b1: string }) => Promise<void>) {
  const server = await DevServer.start();
  const site = await StaticCopy.of(DIST, { host: "127.0.0.1" });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: requireChromium(),
      args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP kiosk.test 127.0.0.1"],
    });
    const context = await browser.newContext();
    const a1 = await publish(server.url, "alarms", "quiet");
    const b1 = await publish(server.url, "notice", "welcome");
    const url = `http://kiosk.test:${site.port}${appUrl({ server: server.url, ids: ["alarms", "notice"], heartbeatMs: 1000 })}`;
    const open = async () => {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    };
    await run(open, server, { a1, b1 });
  } finally {
    await browser?.close();
    await site.dispose();
    await server.dispose();
  }
}

/** The tabs' host modes, in order. */
const modes = (tabs: readonly Page[]) => Promise.all(tabs.map(hostMode));

/** Polls until exactly one of `tabs` leads (the rest following); resolves to it and how long that took. */
async function oneLeader(tabs: readonly Page[], since: number): Promise<{ leader: Page; ms: number }> {
  const expected = ["leader", ...tabs.slice(1).map(() => "follower")].sort();
  await expect.poll(async () => (await modes(tabs)).sort(), { intervals: [50] }).toEqual(expected);
  const ms = Date.now() - since;
  const all = await modes(tabs);
  return { leader: tabs[all.indexOf("leader")]!, ms };
}

test("not a secure context: two tabs, one leader by lease and one device stream; closing the leader hands over within 5 s", async () => {
  await kiosk(async (open, server, { a1, b1 }) => {
    const first = await open();
    expect(await first.evaluate(() => ({ secure: isSecureContext, locks: "locks" in navigator, worker: "serviceWorker" in navigator }))).toEqual({
      secure: false,
      locks: false,
      worker: false,
    });
    const second = await open();
    const tabs = [first, second];
    const { leader } = await oneLeader(tabs, Date.now());
    for (const tab of tabs) {
      await expectShown(tab, "alarms", { version: a1, state: "live" });
      await expectShown(tab, "notice", { version: b1, state: "live" });
    }
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });
    // Steady: still one leader and one stream some renewals later (no flapping).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await modes(tabs)).sort()).toEqual(["follower", "leader"]);
    expect(await hostMode(leader)).toBe("leader");
    expect(await server.streams()).toEqual({ device: 1, perPublication: 0 });

    const remaining = tabs.find((tab) => tab !== leader)!;
    const closedAt = Date.now();
    await leader.close();
    const { ms } = await oneLeader([remaining], closedAt);
    test.info().annotations.push({ type: "takeover-ms (close)", description: String(ms) });
    expect(ms).toBeLessThan(5_000);
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });
    const a2 = await publish(server.url, "alarms", "smoke in B");
    await expectShown(remaining, "alarms", { version: a2, state: "live", text: "smoke in B" });
    await expectShown(remaining, "notice", { version: b1, state: "live" });
  });
});

test("not a secure context: a hung leader loses the lease within 5 s and steps down when it wakes", async () => {
  await kiosk(async (open, server, { a1 }) => {
    const tabs = [await open(), await open()];
    const { leader } = await oneLeader(tabs, Date.now());
    const other = tabs.find((tab) => tab !== leader)!;
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

    // The leader's main thread hangs for 12 s: no renewal, no message handled.
    // It starts a moment after evaluate() has answered, and says when.
    const HANG_MS = 12_000;
    await leader.evaluate((hangMs) => {
      setTimeout(() => {
        const start = Date.now();
        (window as unknown as { hungAt: number }).hungAt = start;
        while (Date.now() < start + hangMs);
      }, 300);
    }, HANG_MS);
    await expect.poll(() => hostMode(other), { intervals: [50], timeout: 10_000 }).toBe("leader");
    const tookOverAt = Date.now();

    // Awake again, it finds the lease taken and stops its host: one leader, one stream.
    await expect.poll(() => hostMode(leader), { intervals: [50], timeout: 30_000 }).toBe("follower");
    const steppedDownBy = Date.now();
    const hungAt = await leader.evaluate(() => (window as unknown as { hungAt: number }).hungAt);
    const ms = tookOverAt - hungAt;
    test.info().annotations.push({ type: "takeover-ms (hang)", description: String(ms) });
    test.info().annotations.push({ type: "woken leader a follower within (ms of waking)", description: String(steppedDownBy - (hungAt + HANG_MS)) });
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5_000);
    expect(await hostMode(other)).toBe("leader");
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });
    const a2 = await publish(server.url, "alarms", "all clear");
    for (const tab of tabs) await expectShown(tab, "alarms", { version: a2, state: "live", text: "all clear" });
    expect(a2).not.toBe(a1);
  });
});
