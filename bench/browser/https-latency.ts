import type { BrowserContext, Page } from "@playwright/test";
import { closeQuietly } from "../support/chromium.js";
import type { BrowserEnv, Figures } from "../support/env.js";
import { chromiumConnections, expectProtocol, startPlainServer, withHttpsSite, type BenchServer } from "../support/https.js";
import { createPublisher, type Published } from "../support/publisher.js";
import { percentile, round } from "../support/stats.js";
import { ID, openApp } from "./latency.js";
import { renderTimes, waitRendered } from "./render-recorder.js";

/**
 * Latency over HTTPS/HTTP/2 against plain HTTP/1.1: server commit → value
 * rendered in all 5 app tabs (the last of the 5), the latency benchmark's
 * machinery (openApp, render recorders) run twice in one browser that
 * trusts the site's CA — the app and its server over HTTPS by name
 * (https://kiosk.test:<port>, h2), and the app on http://localhost with its
 * server on http://127.0.0.1 (HTTP/1.1). Each profile has its worker
 * installed and one device stream open; the two take turns update by
 * update (which goes first alternates), so they share the machine's noise.
 */
export async function httpsLatency(env: BrowserEnv): Promise<Figures> {
  const updates = env.smoke ? 15 : 200;
  return withHttpsSite(env, env.appDir, async (site, envs) => {
    const servers: BenchServer[] = [];
    const contexts: BrowserContext[] = [];
    try {
      const h2Server = await site.startServer();
      servers.push(h2Server);
      const h1Server = await startPlainServer();
      servers.push(h1Server);
      const open = async (server: BenchServer, sideEnv: BrowserEnv): Promise<Side> => {
        const publish = createPublisher(server.publishUrl, "", server.ca);
        const { tabs } = await openApp(sideEnv, server.url, publish, contexts);
        return { tabs, publish, published: [] };
      };
      const h2 = await open(h2Server, envs.https);
      const h1 = await open(h1Server, envs.http);
      await expectProtocol(h2Server, "h2");
      await expectProtocol(h1Server, "http/1.1");

      const update = async (side: Side, text: string, record: boolean) => {
        const published = await side.publish(ID, text);
        if (record) side.published.push(published);
        await Promise.all(side.tabs.map((page) => waitRendered(page, published.version)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      };
      // A few unmeasured updates: JIT, connections warm.
      for (let i = 0; i < 5; i++) for (const side of [h2, h1]) await update(side, `warm-up ${i}`, false);
      for (let i = 0; i < updates; i++) {
        for (const side of i % 2 === 0 ? [h2, h1] : [h1, h2]) await update(side, `update ${i}`, true);
      }

      const h2Times = await latencies(h2.tabs, h2.published);
      const h1Times = await latencies(h1.tabs, h1.published);
      const figures = {
        "https.latencyP50Ms": round(percentile(h2Times.lastTab, 50)),
        "https.latencyP99Ms": round(percentile(h2Times.lastTab, 99)),
        "https.latencyFirstTabP50Ms": round(percentile(h2Times.firstTab, 50)),
        "https.latencyFirstTabP99Ms": round(percentile(h2Times.firstTab, 99)),
        "https.latencyHttpP50Ms": round(percentile(h1Times.lastTab, 50)),
        "https.latencyHttpP99Ms": round(percentile(h1Times.lastTab, 99)),
        "https.latencyHttpFirstTabP50Ms": round(percentile(h1Times.firstTab, 50)),
        "https.latencyHttpFirstTabP99Ms": round(percentile(h1Times.firstTab, 99)),
        "https.latencyP50Ratio": round(percentile(h2Times.lastTab, 50) / percentile(h1Times.lastTab, 50), 2),
        "https.latencyP99Ratio": round(percentile(h2Times.lastTab, 99) / percentile(h1Times.lastTab, 99), 2),
        "https.latencyUpdates": updates,
        // Chromium's TCP connections to each server with 5 tabs and the worker running.
        "https.latencyConnections": await chromiumConnections(h2Server.port),
        "https.latencyHttpConnections": await chromiumConnections(h1Server.port),
      };
      env.log(`https latency: ${JSON.stringify(figures)}`);
      return figures;
    } finally {
      for (const context of contexts) await closeQuietly(context);
      for (const server of servers) await server.dispose();
    }
  });
}

/** One profile of the app: its 5 tabs, its server's publisher, what was published to it. */
interface Side {
  readonly tabs: readonly Page[];
  readonly publish: ReturnType<typeof createPublisher>;
  readonly published: Published[];
}

/** Per update: commit → shown in the last of the tabs, and in the first. */
async function latencies(tabs: readonly Page[], published: readonly Published[]): Promise<{ lastTab: number[]; firstTab: number[] }> {
  const times = await Promise.all(tabs.map(renderTimes));
  const each = published.map(({ version, publishTimeMs }) => times.map((t) => (t[version] as number) - publishTimeMs));
  return { lastTab: each.map((list) => Math.max(...list)), firstTab: each.map((list) => Math.min(...list)) };
}
