import type { BrowserContext, Page } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly } from "../support/chromium.js";
import { directUrl, installWorker, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher, type Published } from "../support/publisher.js";
import { percentile, round } from "../support/stats.js";
import { installRenderRecorder, renderTimes, waitRendered } from "./render-recorder.js";

const TABS = 5;
/** The publication the latency benchmarks update. */
export const ID = "latency";

/**
 * Latency: server commit (the `publish_time` the server stamps) → value
 * rendered in all 5 app tabs (the last of the 5), for each of 200 updates,
 * against one tab reading its own direct stream. Both watch the same
 * updates at the same time, so they share the machine's noise. The next
 * update is published once every tab rendered the previous one (no
 * coalescing).
 *
 * The app's path is the device feed's: a device this small gets its
 * bodies in the PullPublications stream (stream-shape.ts) → IndexedDB →
 * broadcast → render. Were it large, each update would be a metadata
 * change and a GetPublication of the body: the worker's Resource Timing
 * entries of its GetPublication calls then split each update's latency
 * into commit → download started, the download, and download answered →
 * last tab rendered (the row says when there were no downloads).
 *
 * What-ifs, same run, taking turns with it: the same app and worker against
 * a server started with `--no-pull-all`, where the feed follows the
 * publication with a PullPublication of its own (the per-publication way);
 * and five tabs of the direct page against a third server, each with its own
 * stream (what five tabs of a dashboard without pubcache do), timed to the
 * last of the five like the app: what five renderers on this machine cost,
 * whatever feeds them. The verdict stays against the one direct tab (the
 * target of issue 16).
 */
export async function latency(env: BrowserEnv): Promise<Figures> {
  const updates = env.smoke ? 15 : 200;
  const server = await DevServer.start();
  // The what-if: the same app and worker against a server without PullPublications,
  // where the feed follows the publication with a PullPublication that carries the body.
  const bodiesServer = await DevServer.start({ pullAll: false });
  const directTabsServer = await DevServer.start();
  const contexts: BrowserContext[] = [];
  try {
    const publish = createPublisher(server.url);
    const publishBodies = createPublisher(bodiesServer.url);
    const publishDirectTabs = createPublisher(directTabsServer.url);
    const app = await openApp(env, server.url, publish, contexts);
    const bodies = await openApp(env, bodiesServer.url, publishBodies, contexts);
    const direct = await env.browser.newContext();
    contexts.push(direct);
    const directPage = await direct.newPage();
    await directPage.goto(directUrl(env, server.url, [ID]));
    await waitAllLive(directPage, [ID]);
    await installRenderRecorder(directPage);
    const pages = [...app.tabs, directPage];
    const directTabs = await openDirectTabs(env, directTabsServer.url, publishDirectTabs, contexts);

    // The worker's own record of its GetPublication downloads (Resource Timing), to split the latency.
    await app.worker.evaluate(() => {
      performance.setResourceTimingBufferSize(10_000);
      performance.clearResourceTimings();
    });

    // A few unmeasured updates: JIT, connection reuse.
    for (let i = 0; i < 5; i++) {
      const { version } = await publish(ID, `warm-up ${i}`);
      await Promise.all(pages.map((page) => waitRendered(page, version)));
      const other = await publishBodies(ID, `warm-up ${i}`);
      await Promise.all(bodies.tabs.map((page) => waitRendered(page, other.version)));
      const direct5 = await publishDirectTabs(ID, `warm-up ${i}`);
      await Promise.all(directTabs.map((page) => waitRendered(page, direct5.version)));
    }
    // Taking turns, so both ways share the machine's noise without competing for it.
    const published: Published[] = [];
    const publishedBodies: Published[] = [];
    const publishedDirectTabs: Published[] = [];
    for (let i = 0; i < updates; i++) {
      const update = await publish(ID, `update ${i}`);
      published.push(update);
      await Promise.all(pages.map((page) => waitRendered(page, update.version)));
      await new Promise((resolve) => setTimeout(resolve, 10));
      const other = await publishBodies(ID, `update ${i}`);
      publishedBodies.push(other);
      await Promise.all(bodies.tabs.map((page) => waitRendered(page, other.version)));
      await new Promise((resolve) => setTimeout(resolve, 10));
      const direct5 = await publishDirectTabs(ID, `update ${i}`);
      publishedDirectTabs.push(direct5);
      await Promise.all(directTabs.map((page) => waitRendered(page, direct5.version)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const downloads = await app.worker.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((entry): entry is PerformanceResourceTiming => entry.name.endsWith("/GetPublication"))
        .map((entry) => ({ start: performance.timeOrigin + entry.startTime, end: performance.timeOrigin + entry.responseEnd })),
    );
    const appTimes = await Promise.all(app.tabs.map(renderTimes));
    const bodiesTimes = await Promise.all(bodies.tabs.map(renderTimes));
    const directTimes = await renderTimes(directPage);
    const directTabsTimes = await Promise.all(directTabs.map(renderTimes));
    const lastTab = (times: Array<Record<string, number>>, list: Published[]) =>
      list.map(({ version, publishTimeMs }) => Math.max(...times.map((t) => (t[version] as number) - publishTimeMs)));
    const appLatency = lastTab(appTimes, published);
    const bodiesLatency = lastTab(bodiesTimes, publishedBodies);
    const directTabsLatency = lastTab(directTabsTimes, publishedDirectTabs);
    // The first of the 5 tabs to show it: the worker's hop alone, without the spread across tabs.
    const firstTabLatency = published.map(({ version, publishTimeMs }) => Math.min(...appTimes.map((times) => (times[version] as number) - publishTimeMs)));
    const directLatency = published.map(({ version, publishTimeMs }) => (directTimes[version] as number) - publishTimeMs);
    // Where the time goes, per update: commit → the worker starts its download (the metadata change
    // crossed the stream and was reconciled); the GetPublication round trip; its answer → the last tab rendered.
    const split = { toDownload: [] as number[], download: [] as number[], afterDownload: [] as number[] };
    published.forEach(({ publishTimeMs }, i) => {
      const download = downloads.find((d) => d.start >= publishTimeMs - 1);
      if (!download) return;
      split.toDownload.push(download.start - publishTimeMs);
      split.download.push(download.end - download.start);
      split.afterDownload.push((appLatency[i] as number) + publishTimeMs - download.end);
    });
    const figures = {
      "latency.p50Ms": round(percentile(appLatency, 50)),
      "latency.p99Ms": round(percentile(appLatency, 99)),
      "latency.directP50Ms": round(percentile(directLatency, 50)),
      "latency.directP99Ms": round(percentile(directLatency, 99)),
      "latency.firstTabP50Ms": round(percentile(firstTabLatency, 50)),
      "latency.firstTabP99Ms": round(percentile(firstTabLatency, 99)),
      "latency.bodiesInStreamP50Ms": round(percentile(bodiesLatency, 50)),
      "latency.bodiesInStreamP99Ms": round(percentile(bodiesLatency, 99)),
      "latency.directTabsP50Ms": round(percentile(directTabsLatency, 50)),
      "latency.directTabsP99Ms": round(percentile(directTabsLatency, 99)),
      "latency.updates": updates,
      "latency.downloads": downloads.length,
      "latency.toDownloadP50Ms": round(percentile(split.toDownload, 50)),
      "latency.toDownloadP99Ms": round(percentile(split.toDownload, 99)),
      "latency.downloadP50Ms": round(percentile(split.download, 50)),
      "latency.downloadP99Ms": round(percentile(split.download, 99)),
      "latency.afterDownloadP50Ms": round(percentile(split.afterDownload, 50)),
      "latency.afterDownloadP99Ms": round(percentile(split.afterDownload, 99)),
    };
    env.log(`latency: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    for (const context of contexts) await closeQuietly(context);
    await server.dispose();
    await bodiesServer.dispose();
    await directTabsServer.dispose();
  }
}

/** Five tabs of the direct page in one profile, each following `ID` on `server` with its own stream, each with a render recorder. */
async function openDirectTabs(env: BrowserEnv, server: string, publish: ReturnType<typeof createPublisher>, contexts: BrowserContext[]): Promise<Page[]> {
  const context = await env.browser.newContext();
  contexts.push(context);
  await publish(ID, "first");
  const tabs: Page[] = [];
  for (let tab = 0; tab < TABS; tab++) {
    const page = await context.newPage();
    await page.goto(directUrl(env, server, [ID]));
    tabs.push(page);
  }
  for (const page of tabs) await waitAllLive(page, [ID]);
  for (const page of tabs) await installRenderRecorder(page);
  return tabs;
}

/**
 * A profile with the app's worker installed and 5 tabs showing the publication `latency`
 * from `server`, each with a render recorder (the app from `env.appOrigin`, in `env.browser`).
 */
export async function openApp(env: BrowserEnv, server: string, publish: ReturnType<typeof createPublisher>, contexts: BrowserContext[]) {
  const context = await env.browser.newContext({ baseURL: env.appOrigin });
  contexts.push(context);
  await publish(ID, "first");
  const url = appUrl({ server, ids: [ID] });
  const installer = await installWorker(context, server, ID);
  const tabs: Page[] = [];
  for (let tab = 0; tab < TABS; tab++) {
    const page = await context.newPage();
    await page.goto(url);
    tabs.push(page);
  }
  await installer.close();
  for (const page of tabs) await waitAllLive(page, [ID]);
  for (const page of tabs) await installRenderRecorder(page);
  const worker = context.serviceWorkers()[0];
  if (!worker) throw new Error("no service worker runs the app's cache");
  return { tabs, worker };
}
