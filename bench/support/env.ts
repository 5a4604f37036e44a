import type { Browser, BrowserContext, Page } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";

/** What every browser benchmark gets from the runner. */
export interface BrowserEnv {
  readonly browser: Browser;
  /** Origin of the built app (`vite preview` of bench/.out/app). */
  readonly appOrigin: string;
  /** The built app's directory (bench/.out/app), for a benchmark that serves it another way (HTTPS). */
  readonly appDir: string;
  /** Origin of the bench pages (bench/.out/pages), another origin than the app's. */
  readonly pagesOrigin: string;
  /** Few iterations, for CI. */
  readonly smoke: boolean;
  /** Progress lines (stderr), so a long run shows where it is. */
  readonly log: (line: string) => void;
}

/** Named figures a benchmark measured (the names of `--json`). */
export type Figures = Record<string, number>;

/** Resolves once every publication in `ids` shows a value in state `live` on `page`. */
export async function waitAllLive(page: Page, ids: readonly string[], timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      wanted.every((id) => {
        const element = document.querySelector<HTMLElement>(`[data-publication-id="${id}"]`);
        return element?.dataset.state === "live" && element.dataset.version !== "";
      }),
    ids,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** A development server that counts its open upstream streams (plain or HTTPS). */
export interface StreamCounter {
  streams(): Promise<{ device: number; perPublication: number }>;
}

/**
 * Open upstream streams on the server (PullPublications, PullPublication)
 * once neither number has moved for `stableMs`, or the last numbers seen
 * after `timeoutMs`.
 */
export async function settledStreams(server: StreamCounter, stableMs = 1_000, timeoutMs = 10_000): Promise<{ device: number; perPublication: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = await server.streams();
  let since = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await server.streams();
    if (now.device !== last.device || now.perPublication !== last.perPublication) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= stableMs || Date.now() >= deadline) {
      return now;
    }
  }
}

/** The direct-stream page (naive baseline) for `ids`. */
export function directUrl(env: BrowserEnv, server: string, ids: readonly string[]): string {
  return `${env.pagesOrigin}/direct.html?${new URLSearchParams({ server, device: "", ids: ids.join(",") })}`;
}

/**
 * Installs the app's service worker in `context` from one tab showing one
 * publication, and waits until it controls that tab, as on a kiosk that has
 * run the app before (the latency and cold-start benchmarks start from
 * there; the fan-out benchmark measures a first visit). Returns the tab.
 */
export async function installWorker(context: BrowserContext, server: string, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(appUrl({ server, ids: [id] }));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000, polling: 20 });
  return page;
}
