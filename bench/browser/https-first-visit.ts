import { appUrl } from "../../e2e/support/app-page.js";
import { closeQuietly } from "../support/chromium.js";
import type { BrowserEnv, Figures } from "../support/env.js";
import { startPlainServer, withHttpsSite, type BenchServer } from "../support/https.js";
import { createPublisher } from "../support/publisher.js";
import { median, percentile, round } from "../support/stats.js";
import { firstValue, PUBLICATIONS } from "./fanout.js";

/** What one first visit came to, read from the page. */
interface Visit {
  /** Navigation start → every publication shown live (`data-state="live"` with a version). */
  readonly shownMs: number;
  /** The page's own connection (Navigation Timing): protocol, TCP + TLS set-up, of it TLS. */
  readonly documentProtocol: string;
  readonly documentConnectMs: number;
  readonly documentTlsMs: number;
  /** Navigation start → the page's document received; → its scripts run (DOMContentLoaded). */
  readonly documentMs: number;
  readonly scriptsMs: number;
  /** Protocols of the page's calls to the publication server that completed (Resource Timing). */
  readonly serverProtocols: string[];
}

/**
 * First visit over HTTPS/h2 against plain HTTP/1.1, the TLS handshakes'
 * cost: one tab of the built app opened in a fresh profile (a new browser
 * context each time: no worker, no cache, no open connection, no TLS
 * session to resume), showing the 20 publications of one device, from
 * navigation start until all 20 are shown live. Over HTTPS the page is
 * https://kiosk.test:<port> and its server https://kiosk.test:<port> (two
 * origins, two handshakes, the CA trusted through the NSS database); the
 * baseline, http://localhost and http://127.0.0.1 in the same browser. The
 * two alternate visit by visit; medians.
 */
export async function httpsFirstVisit(env: BrowserEnv): Promise<Figures> {
  const visits = env.smoke ? 2 : 15;
  const ids = Array.from({ length: PUBLICATIONS }, (_, i) => `first-${String(i + 1).padStart(2, "0")}`);
  return withHttpsSite(env, env.appDir, async (site, envs) => {
    const servers: BenchServer[] = [];
    try {
      const h2Server = await site.startServer();
      servers.push(h2Server);
      const h1Server = await startPlainServer();
      servers.push(h1Server);
      for (const server of servers) {
        const publish = createPublisher(server.publishUrl, "", server.ca);
        for (const id of ids) await publish(id, firstValue(id));
      }
      const sides = [
        { env: envs.https, server: h2Server, visits: [] as Visit[] },
        { env: envs.http, server: h1Server, visits: [] as Visit[] },
      ];
      // One unmeasured visit each (not in the smoke run): the servers' and the browser's first-time costs.
      if (!env.smoke) for (const side of sides) await visit(side.env, side.server.url, ids);
      for (let i = 0; i < visits; i++) {
        for (const side of i % 2 === 0 ? sides : [...sides].reverse()) side.visits.push(await visit(side.env, side.server.url, ids));
      }
      const [h2, h1] = sides.map((side) => side.visits) as [Visit[], Visit[]];
      const protocols = (list: Visit[]) => new Set(list.flatMap((v) => [v.documentProtocol, ...v.serverProtocols]));
      if ([...protocols(h2)].some((p) => p !== "h2")) throw new Error(`HTTPS first visits used ${[...protocols(h2)].join(", ")}, not only h2`);
      if ([...protocols(h1)].some((p) => p !== "http/1.1")) throw new Error(`plain first visits used ${[...protocols(h1)].join(", ")}`);
      const h2Shown = median(h2.map((v) => v.shownMs));
      const h1Shown = median(h1.map((v) => v.shownMs));
      const figures = {
        "https.firstVisitMs": round(h2Shown),
        "https.firstVisitHttpMs": round(h1Shown),
        "https.firstVisitRatio": round(h2Shown / h1Shown, 2),
        "https.firstVisitP90Ms": round(percentile(h2.map((v) => v.shownMs), 90)),
        "https.firstVisitHttpP90Ms": round(percentile(h1.map((v) => v.shownMs), 90)),
        "https.firstVisitConnectMs": round(median(h2.map((v) => v.documentConnectMs))),
        "https.firstVisitTlsMs": round(median(h2.map((v) => v.documentTlsMs))),
        "https.firstVisitHttpConnectMs": round(median(h1.map((v) => v.documentConnectMs))),
        "https.firstVisitDocumentMs": round(median(h2.map((v) => v.documentMs))),
        "https.firstVisitHttpDocumentMs": round(median(h1.map((v) => v.documentMs))),
        "https.firstVisitScriptsMs": round(median(h2.map((v) => v.scriptsMs))),
        "https.firstVisitHttpScriptsMs": round(median(h1.map((v) => v.scriptsMs))),
        // Visits whose page connection was new (connect time > 0): a fresh profile must not reuse one.
        "https.firstVisitNewConnections": h2.filter((v) => v.documentConnectMs > 0).length,
        "https.firstVisits": visits,
        "https.firstVisitPublications": ids.length,
      };
      env.log(`https first visit: ${JSON.stringify(figures)}`);
      return figures;
    } finally {
      for (const server of servers) await server.dispose();
    }
  });
}

async function visit(env: BrowserEnv, server: string, ids: readonly string[]): Promise<Visit> {
  const context = await env.browser.newContext({ baseURL: env.appOrigin });
  try {
    // Before the page's own scripts: note the moment every publication is shown (ms since navigation start).
    await context.addInitScript((wanted: readonly string[]) => {
      const observer = new MutationObserver(() => {
        const shown = wanted.every((id) => {
          const element = document.querySelector<HTMLElement>(`[data-publication-id="${id}"]`);
          return element?.dataset.state === "live" && (element.dataset.version ?? "") !== "";
        });
        if (!shown) return;
        (window as unknown as { benchAllShownMs: number }).benchAllShownMs = performance.now();
        observer.disconnect();
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "data-version"] });
    }, ids);
    const page = await context.newPage();
    await page.goto(appUrl({ server, ids }));
    await page.waitForFunction(() => (window as unknown as { benchAllShownMs?: number }).benchAllShownMs !== undefined, undefined, {
      timeout: 30_000,
      polling: 50,
    });
    return await page.evaluate((origin) => {
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const calls = performance.getEntriesByType("resource").filter((entry) => entry.name.startsWith(origin)) as PerformanceResourceTiming[];
      return {
        shownMs: (window as unknown as { benchAllShownMs: number }).benchAllShownMs,
        documentProtocol: navigation.nextHopProtocol,
        documentConnectMs: navigation.connectEnd - navigation.connectStart,
        documentTlsMs: navigation.secureConnectionStart > 0 ? navigation.connectEnd - navigation.secureConnectionStart : 0,
        documentMs: navigation.responseEnd,
        scriptsMs: navigation.domContentLoadedEventEnd,
        serverProtocols: [...new Set(calls.map((entry) => entry.nextHopProtocol).filter((protocol) => protocol !== ""))],
      };
    }, new URL(server).origin);
  } finally {
    await closeQuietly(context);
  }
}
