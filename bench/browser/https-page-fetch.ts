import type { BrowserEnv, Figures } from "../support/env.js";
import { chromiumConnections, expectProtocol, startPlainServer, withHttpsSite, type BenchServer } from "../support/https.js";
import { createPublisher } from "../support/publisher.js";
import { median, round } from "../support/stats.js";
import { FETCH_CAP_MS, firstValue, openFirstVisit, PUBLICATIONS, timeHealthz, timePageFetches, type OpenVisit } from "./fanout.js";

/**
 * The page's own fetch to the publication server while the cache runs, over
 * h2: the fan-out benchmark's first visit (5 tabs at once in a fresh
 * profile, 20 publications of one device, until every tab is controlled and
 * shows all 20), then the first tab times a plain `fetch(server +
 * "/healthz")`. Over HTTPS (https://kiosk.test, CA trusted) against the
 * same over plain HTTP/1.1, both visits open in the same browser, the
 * fetches taking turns (h2, HTTP/1.1, HTTP/1.1, h2, …). Counted beside:
 * Chromium's TCP connections to each server, and the streams on each
 * protocol (`/debug/stats`).
 *
 * What-if, same run: the per-publication engine (`--no-pull-all`: one
 * PullPublication per publication, 20 streams) over h2 — over HTTP/1.1 it
 * stalls at six (the fan-out row); over h2 the streams share a connection.
 */
export async function httpsPageFetch(env: BrowserEnv): Promise<Figures> {
  const fetches = env.smoke ? 3 : 15;
  const ids = Array.from({ length: PUBLICATIONS }, (_, i) => `fetch-${String(i + 1).padStart(2, "0")}`);
  return withHttpsSite(env, env.appDir, async (site, envs) => {
    const servers: BenchServer[] = [];
    const visits: OpenVisit[] = [];
    const start = async (server: Promise<BenchServer>) => {
      const started = await server;
      servers.push(started);
      const publish = createPublisher(started.publishUrl, "", started.ca);
      for (const id of ids) await publish(id, firstValue(id));
      return started;
    };
    const open = async (sideEnv: BrowserEnv, server: BenchServer) => {
      const opened = await openFirstVisit(sideEnv, server.url, server, ids, 40_000);
      visits.push(opened);
      return opened;
    };
    try {
      const h2Server = await start(site.startServer());
      const h1Server = await start(startPlainServer());
      const h2 = await open(envs.https, h2Server);
      const h1 = await open(envs.http, h1Server);
      await expectProtocol(h2Server, "h2");
      await expectProtocol(h1Server, "http/1.1");
      const h2Times: number[] = [];
      const h1Times: number[] = [];
      const turns = [
        { visit: h2, server: h2Server, times: h2Times },
        { visit: h1, server: h1Server, times: h1Times },
      ];
      for (let i = 0; i < fetches; i++) {
        for (const turn of i % 2 === 0 ? turns : [...turns].reverse()) {
          const tookMs = await timeHealthz(turn.visit.pages[0]!, turn.server.url);
          if (tookMs !== undefined) turn.times.push(tookMs);
        }
      }
      const h2Stats = await h2Server.stats();
      const figures: Figures = {
        "https.pageFetchMs": round(median(h2Times)),
        "https.pageFetchesAnswered": h2Times.length,
        "https.pageFetchHttpMs": round(median(h1Times)),
        "https.pageFetchHttpAnswered": h1Times.length,
        "https.pageFetchesTried": fetches,
        "https.pageFetchRatio": round(median(h2Times) / median(h1Times), 2),
        "https.pageFetchTabsShowingAll": h2.state.tabsShowingAll,
        "https.pageFetchHttpTabsShowingAll": h1.state.tabsShowingAll,
        "https.pageFetchStreams": h2.state.deviceStreams + h2.state.publicationStreams,
        "https.pageFetchH2Streams": h2Stats.protocols.h2.openStreams,
        "https.pageFetchHttpStreams": h1.state.deviceStreams + h1.state.publicationStreams,
        "https.pageFetchConnections": await chromiumConnections(h2Server.port),
        "https.pageFetchHttpConnections": await chromiumConnections(h1Server.port),
        "https.pageFetchCapMs": FETCH_CAP_MS,
      };
      for (const visit of visits.splice(0)) await visit.close();

      // What-if: a stream per publication, over h2.
      const perPublicationServer = await start(site.startServer({ pullAll: false }));
      const perPublication = await open(envs.https, perPublicationServer);
      await expectProtocol(perPublicationServer, "h2");
      const { times } = await timePageFetches(perPublication.pages[0]!, perPublicationServer.url, fetches);
      Object.assign(figures, {
        "https.perPublicationStreams": perPublication.state.deviceStreams + perPublication.state.publicationStreams,
        "https.perPublicationTabsShowingAll": perPublication.state.tabsShowingAll,
        "https.perPublicationConnections": await chromiumConnections(perPublicationServer.port),
        "https.perPublicationPageFetchMs": round(median(times)),
        "https.perPublicationPageFetchesAnswered": times.length,
      });
      env.log(`https page fetch: ${JSON.stringify(figures)}`);
      return figures;
    } finally {
      for (const visit of visits) await visit.close();
      for (const server of servers) await server.dispose();
    }
  });
}
