import { expect, test } from "@playwright/test";
import { DevServer } from "./support/dev-server.js";
import { openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";
import { expectUpstreamProtocol } from "./dashboard-support/upstream-protocol.js";

/**
 * The diagnostics panel's "Upstream protocol" row is the browser's
 * `nextHopProtocol` for the requests the cache's host made to the server
 * (here the service worker: its Resource Timing, sent to pages). The server
 * is on another origin than the page (127.0.0.1 vs localhost), so this also
 * proves it sends `Timing-Allow-Origin`: without it the row says "unknown".
 *
 * One row per kind of server, with the protocol it must show: the TLS tests
 * reuse {@link expectUpstreamProtocol} with "h2".
 */
const SERVERS = [{ name: "the plain-HTTP development server", start: () => DevServer.start(), protocol: "http/1.1" }] as const;

for (const { name, start, protocol } of SERVERS) {
  test(`diagnostics: the upstream protocol of ${name} is ${protocol}, as the service worker's Resource Timing says`, async ({ page }) => {
    const server = await start();
    try {
      await publishDemoBuilding(server.url);
      await openDashboard(page, server.url);
      await expectUpstreamProtocol(page, server.url, protocol);
    } finally {
      await server.dispose();
    }
  });
}

test("the service worker keeps its resource timing buffer from filling: cleared when the browser says it is full, so later entries still go in", async ({
  page,
}) => {
  const server = await DevServer.start();
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url);
    const worker = page.context().serviceWorkers()[0]!;
    // Room for 3 entries, then 8 requests: a full buffer that nobody clears would keep the first 3 and drop the rest.
    const kept = await worker.evaluate(async () => {
      performance.setResourceTimingBufferSize(3);
      for (let n = 0; n < 8; n++) await (await fetch(`/index.html?n=${n}`)).arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((entry) => new URL(entry.name).search);
    });
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(kept).toContain("?n=7");
  } finally {
    await server.dispose();
  }
});
