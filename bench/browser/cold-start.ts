import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly, stopAllServiceWorkers } from "../support/chromium.js";
import { installWorker, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher } from "../support/publisher.js";
import { median, round } from "../support/stats.js";

const IDS = ["cold-a", "cold-b", "cold-c", "cold-d"];

/**
 * Offline cold start: with the network off and no service worker running
 * (a kiosk booting), the time from navigation start to the 4 cached
 * publications rendered, against the load of a blank page precached by the
 * same worker (`blank.html`, added to the bench build). Each navigation
 * starts from a stopped worker; app and blank alternate; median of 20.
 *
 * The page records when all 4 values are on screen with a MutationObserver
 * installed by an init script (`performance.now()` is ms since navigation
 * start); the blank page's figure is its navigation entry's `loadEventEnd`.
 */
export async function coldStart(env: BrowserEnv): Promise<Figures> {
  const runs = env.smoke ? 3 : 20;
  const server = await DevServer.start();
  const context = await env.browser.newContext({ baseURL: env.appOrigin });
  try {
    const publish = createPublisher(server.url);
    for (const id of IDS) await publish(id, `${id}: ${"x".repeat(200)}`);
    await context.addInitScript((count: number) => {
      new MutationObserver((_, observer) => {
        const shown = document.querySelectorAll<HTMLElement>("[data-publication-id]");
        if (shown.length >= count && [...shown].every((element) => element.dataset.version !== "")) {
          (window as unknown as { benchAllShownAt: number }).benchAllShownAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-version"] });
    }, IDS.length);

    // Install: the worker precaches the shell, the values reach IndexedDB.
    const page = await installWorker(context, server.url, IDS[0]!);
    const url = appUrl({ server: server.url, ids: IDS });
    await page.goto(url);
    await waitAllLive(page, IDS);
    await page.reload();
    await waitAllLive(page, IDS);

    const app: number[] = [];
    const blank: number[] = [];
    // Where the app's time goes: shell document received from the worker; module script run (DOMContentLoaded).
    const appResponseEnd: number[] = [];
    const appScriptsDone: number[] = [];
    await context.setOffline(true);
    for (let run = -1; run < runs; run++) {
      // run -1 warms both paths up and is not counted.
      for (const which of run % 2 === 0 ? (["app", "blank"] as const) : (["blank", "app"] as const)) {
        await stopAllServiceWorkers(context, page);
        if (which === "app") {
          const response = await page.goto(url);
          if (!response?.fromServiceWorker()) throw new Error("the offline app was not served by the service worker");
          await page.waitForFunction(() => (window as unknown as { benchAllShownAt?: number }).benchAllShownAt !== undefined, undefined, {
            timeout: 15_000,
            polling: 20,
          });
          const at = await page.evaluate(() => {
            const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
            return {
              shown: (window as unknown as { benchAllShownAt: number }).benchAllShownAt,
              responseEnd: navigation.responseEnd,
              domContentLoaded: navigation.domContentLoadedEventEnd,
            };
          });
          if (run >= 0) {
            app.push(at.shown);
            appResponseEnd.push(at.responseEnd);
            appScriptsDone.push(at.domContentLoaded);
          }
        } else {
          const response = await page.goto("/blank.html");
          if (!response?.fromServiceWorker()) throw new Error("blank.html was not served by the service worker");
          await page.waitForFunction(
            () => ((performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? 0) > 0,
            undefined,
            { timeout: 15_000, polling: 20 },
          );
          const at = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
          if (run >= 0) blank.push(at);
        }
      }
    }
    const figures = {
      "coldStart.offlineMs": round(median(app)),
      "coldStart.blankMs": round(median(blank)),
      "coldStart.runs": runs,
      "coldStart.appResponseEndMs": round(median(appResponseEnd)),
      "coldStart.appDomContentLoadedMs": round(median(appScriptsDone)),
    };
    env.log(`cold start: ${JSON.stringify(figures)} app=${app.map((v) => Math.round(v)).join(",")} blank=${blank.map((v) => Math.round(v)).join(",")}`);
    return figures;
  } finally {
    await context.setOffline(false).catch(() => {});
    await closeQuietly(context);
    await server.dispose();
  }
}
