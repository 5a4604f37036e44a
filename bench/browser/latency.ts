import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly } from "../support/chromium.js";
import { directUrl, installWorker, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher, type Published } from "../support/publisher.js";
import { percentile, round } from "../support/stats.js";
import { installRenderRecorder, renderTimes, waitRendered } from "./render-recorder.js";

const TABS = 5;
const ID = "latency";

/**
 * Latency: server commit (the `publish_time` the server stamps) → value
 * rendered in all 5 app tabs (the last of the 5), for each of 200 updates,
 * against one tab reading its own direct stream. Both watch the same
 * updates at the same time, so they share the machine's noise. The next
 * update is published once every tab rendered the previous one (no
 * coalescing).
 */
export async function latency(env: BrowserEnv): Promise<Figures> {
  const updates = env.smoke ? 15 : 200;
  const server = await DevServer.start();
  const app = await env.browser.newContext({ baseURL: env.appOrigin });
  const direct = await env.browser.newContext();
  try {
    const publish = createPublisher(server.url);
    await publish(ID, "first");
    const url = appUrl({ server: server.url, ids: [ID] });
    const tabs = [];
    const installer = await installWorker(app, server.url, ID);
    for (let tab = 0; tab < TABS; tab++) {
      const page = await app.newPage();
      await page.goto(url);
      tabs.push(page);
    }
    await installer.close();
    const directPage = await direct.newPage();
    await directPage.goto(directUrl(env, server.url, [ID]));
    const pages = [...tabs, directPage];
    for (const page of pages) await waitAllLive(page, [ID]);
    for (const page of pages) await installRenderRecorder(page);

    // A few unmeasured updates: JIT, connection reuse.
    for (let i = 0; i < 5; i++) {
      const { version } = await publish(ID, `warm-up ${i}`);
      await Promise.all(pages.map((page) => waitRendered(page, version)));
    }
    const published: Published[] = [];
    for (let i = 0; i < updates; i++) {
      const update = await publish(ID, `update ${i}`);
      published.push(update);
      await Promise.all(pages.map((page) => waitRendered(page, update.version)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const appTimes = await Promise.all(tabs.map(renderTimes));
    const directTimes = await renderTimes(directPage);
    const appLatency = published.map(({ version, publishTimeMs }) => Math.max(...appTimes.map((times) => (times[version] as number) - publishTimeMs)));
    // The first of the 5 tabs to show it: the worker's hop alone, without the spread across tabs.
    const firstTabLatency = published.map(({ version, publishTimeMs }) => Math.min(...appTimes.map((times) => (times[version] as number) - publishTimeMs)));
    const directLatency = published.map(({ version, publishTimeMs }) => (directTimes[version] as number) - publishTimeMs);
    const figures = {
      "latency.p50Ms": round(percentile(appLatency, 50)),
      "latency.p99Ms": round(percentile(appLatency, 99)),
      "latency.directP50Ms": round(percentile(directLatency, 50)),
      "latency.directP99Ms": round(percentile(directLatency, 99)),
      "latency.firstTabP50Ms": round(percentile(firstTabLatency, 50)),
      "latency.firstTabP99Ms": round(percentile(firstTabLatency, 99)),
      "latency.updates": updates,
    };
    env.log(`latency: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await closeQuietly(app);
    await closeQuietly(direct);
    await server.dispose();
  }
}
