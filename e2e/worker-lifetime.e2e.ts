import { expect, test } from "@playwright/test";
import puppeteer, { TargetType } from "puppeteer-core";
import { appUrl } from "./support/app-page.js";
import { CHROMIUM_ARGS, requireChromium } from "./support/chromium.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

/**
 * The real idle timeout: Playwright attaches a debugger to every service
 * worker, which turns the browser's idle termination off. Here Chromium is
 * driven by puppeteer-core told never to attach to the worker
 * (`targetFilter`), so the worker lives exactly as long as the browser
 * allows, and the page's CDP session only watches its running status.
 */
test("the worker holds on between page messages further apart than the browser's 30 s idle timeout (only the newest message is held)", async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const server = await DevServer.start();
  const browser = await puppeteer.launch({
    executablePath: requireChromium(),
    args: [...CHROMIUM_ARGS],
    headless: true,
    targetFilter: (target) => target.type() !== TargetType.SERVICE_WORKER,
  });
  try {
    await publish(server.url, "menu", "soup");
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    const stops: number[] = [];
    cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
      for (const version of versions) if (version.runningStatus === "stopped" && version.status === "activated") stops.push(Date.now());
    });
    await cdp.send("ServiceWorker.enable");
    await page.goto(new URL(appUrl({ server: server.url, ids: ["menu"] }), baseURL).href);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, { timeout: 20_000 });
    // Heartbeats 40 s apart: like a background tab's throttled timers, beyond the idle timeout.
    await page.goto(new URL(appUrl({ server: server.url, ids: ["menu"], heartbeatMs: 40_000 }), baseURL).href);
    await page.waitForFunction(() => document.querySelector('[data-publication-id="menu"]')?.getAttribute("data-state") === "live", { timeout: 20_000 });
    const opened = (await server.stats()).calls.PullPublications;
    const since = Date.now();

    await new Promise((resolve) => setTimeout(resolve, 90_000));
    expect(stops.filter((at) => at > since)).toEqual([]);
    // The one stream stayed open: never reopened by a restarted worker.
    expect((await server.stats()).calls.PullPublications).toBe(opened);
    expect((await server.streams()).device).toBe(1);
  } finally {
    await browser.close();
    await server.dispose();
  }
});
