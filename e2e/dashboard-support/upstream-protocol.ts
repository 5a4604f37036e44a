import { expect, type Page } from "@playwright/test";

/**
 * Waits until the page says the host's requests to `server` went over
 * `protocol` (`"http/1.1"`, `"h2"`): the client's diagnostics, then the
 * diagnostics panel's row ("h2 (https://kiosk.test:8700)"), opened with D if
 * it is not open. When a service worker hosts the cache, also checks the
 * worker's own Resource Timing entries for that server, read in the worker,
 * so the row is the browser's number and not only ours. Leaves the panel open.
 */
export async function expectUpstreamProtocol(page: Page, server: string, protocol: string): Promise<void> {
  const origin = new URL(server).origin;
  await expect
    .poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.upstreamProtocol))
    .toMatchObject({ origin, protocol });

  const panel = page.getByRole("dialog", { name: "Diagnostics" });
  if (!(await panel.isVisible())) await page.keyboard.press("d");
  await expect(panel.locator('[data-diag="upstream-protocol"]')).toHaveText(`${protocol} (${origin})`);

  if ((await page.evaluate(() => window.pubcacheApp.client.diagnostics.mode)) !== "service-worker") return;
  const worker = page.context().serviceWorkers().find((w) => new URL(w.url()).origin === new URL(page.url()).origin);
  expect(worker, "the service worker hosting the cache").toBeDefined();
  // The worker clears its buffer only when full: the entries of its calls to the server are still there.
  const seen = await worker!.evaluate(
    (from) =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((entry) => new URL(entry.name).origin === from)
        .map((entry) => entry.nextHopProtocol),
    origin,
  );
  expect(seen.length).toBeGreaterThan(0);
  expect(new Set(seen)).toEqual(new Set([protocol]));
}
