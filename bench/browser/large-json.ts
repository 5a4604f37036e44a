import type { Page } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly, stopAllServiceWorkers } from "../support/chromium.js";
import { installWorker, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher } from "../support/publisher.js";
import { median, round } from "../support/stats.js";

const SMALL = "render-small";
const LARGE = "render-large";

/**
 * Large JSON: a 1 MB JSON publication from arrival to visible on the
 * dashboard, against a 1 KB one measured the same way in the same run.
 * - Online: from the server's commit (`publish_time`) over the live stream
 *   to the first frame painted after the card says the version is on screen
 *   (`data-shown-version`, set once the body is parsed and laid out); small
 *   and large take turns.
 * - Offline boot: network off, service worker stopped (a kiosk booting),
 *   from navigation start to that frame, the value read from IndexedDB;
 *   a page showing only the large one against one showing only the small one.
 * "Painted" is approximated as a task after the next animation frame.
 */
export async function largeJson(env: BrowserEnv): Promise<Figures> {
  const rounds = env.smoke ? 2 : 10;
  const largeBytes = env.smoke ? 250_000 : 1_000_000;
  const server = await DevServer.start();
  const context = await env.browser.newContext({ baseURL: env.appOrigin, viewport: { width: 1280, height: 800 } });
  try {
    const publish = createPublisher(server.url);
    await publish(SMALL, zonesDocument(1_000, 0), "application/json");
    await publish(LARGE, zonesDocument(largeBytes, 0), "application/json");
    await context.addInitScript(recordShown);
    const page = await installWorker(context, server.url, SMALL);
    const both = appUrl({ server: server.url, ids: [SMALL, LARGE] });
    await page.goto(both);
    await waitAllLive(page, [SMALL, LARGE], 60_000);

    const online = { small: [] as number[], large: [] as number[] };
    for (let round = -1; round < rounds; round++) {
      // Round -1 warms up (JIT, the parser's worker) and is not counted.
      for (const [id, size, into] of [
        [SMALL, 1_000, online.small],
        [LARGE, largeBytes, online.large],
      ] as const) {
        const { version, publishTimeMs } = await publish(id, zonesDocument(size, round + 2), "application/json");
        const shownAt = await waitShown(page, version);
        if (round >= 0) into.push(shownAt - publishTimeMs);
      }
    }

    const boot = { small: [] as number[], large: [] as number[] };
    await context.setOffline(true);
    for (let round = -1; round < rounds; round++) {
      for (const [id, into] of [
        [SMALL, boot.small],
        [LARGE, boot.large],
      ] as const) {
        await stopAllServiceWorkers(context, page);
        const response = await page.goto(appUrl({ server: server.url, ids: [id] }));
        if (!response?.fromServiceWorker()) throw new Error("the offline dashboard was not served by the service worker");
        const shownAt = await waitShown(page, undefined);
        const navigationStart = await page.evaluate(() => performance.timeOrigin);
        if (round >= 0) into.push(shownAt - navigationStart);
      }
    }
    const figures = {
      "render.largeJsonMs": round(median(online.large)),
      "render.smallJsonMs": round(median(online.small)),
      "render.largeJsonBootMs": round(median(boot.large)),
      "render.smallJsonBootMs": round(median(boot.small)),
      "render.largeJsonBytes": zonesDocument(largeBytes, 1).length,
      "render.rounds": rounds,
    };
    env.log(
      `large JSON: ${JSON.stringify(figures)} online large=${online.large.map(Math.round).join(",")} ` +
        `boot large=${boot.large.map(Math.round).join(",")}`,
    );
    return figures;
  } finally {
    await context.setOffline(false).catch(() => {});
    await closeQuietly(context);
    await server.dispose();
  }
}

/**
 * A building's zone table of about `bytes` bytes (what makes a JSON
 * publication large in practice); `variant` changes every value, so each
 * publish is a new version.
 */
export function zonesDocument(bytes: number, variant: number): string {
  const zones: Record<string, unknown> = {};
  const head = { building: "Bench House", units: { temperature: "degC", humidity: "percentRH" }, variant };
  let size = JSON.stringify(head).length + 12;
  for (let i = 0; size < bytes; i++) {
    const zone = { floor: `L${i % 20}`, kind: ["office", "technical", "public"][i % 3], temperature: 20 + ((i + variant) % 50) / 10, humidity: 40 + (i % 20), areaM2: 50 + (i % 400) };
    const key = `zone-${String(i).padStart(5, "0")}`;
    zones[key] = zone;
    size += key.length + JSON.stringify(zone).length + 4;
  }
  return JSON.stringify({ ...head, zones });
}

/**
 * Init script: when a card first says a version is on screen, records the
 * time (ms since the epoch) of the first task after the next frame.
 * (No named inner functions: tsx would wrap them in a helper the page lacks.)
 */
function recordShown() {
  const shown = new Map<string, number>();
  (window as unknown as { benchShown: Map<string, number> }).benchShown = shown;
  new MutationObserver((records) => {
    for (const record of records) {
      const version = (record.target as HTMLElement).dataset.shownVersion;
      if (!version || shown.has(version)) continue;
      shown.set(version, -1);
      requestAnimationFrame(() => setTimeout(() => shown.set(version, performance.timeOrigin + performance.now()), 0));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-shown-version"] });
}

/** When `version` (or, if undefined, any version) was first painted on `page`. */
async function waitShown(page: Page, version: string | undefined): Promise<number> {
  try {
    const handle = await page.waitForFunction(
      (wanted) => {
        const shown = (window as unknown as { benchShown?: Map<string, number> }).benchShown;
        if (!shown) return undefined;
        for (const [v, at] of shown) if ((wanted === null || v === wanted) && at > 0) return at;
        return undefined;
      },
      version ?? null,
      { timeout: 30_000, polling: 10 },
    );
    return (await handle.jsonValue()) as number;
  } catch (error) {
    const state = await page.evaluate(() => ({
      cards: [...document.querySelectorAll<HTMLElement>("[data-publication-id]")].map((card) => ({ ...card.dataset })),
      shown: [...((window as unknown as { benchShown?: Map<string, number> }).benchShown ?? new Map<string, number>())],
    }));
    throw new Error(`version ${version ?? "(any)"} not shown: ${JSON.stringify(state)}`, { cause: error });
  }
}
