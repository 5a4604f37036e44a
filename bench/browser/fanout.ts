import type { Page } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer, type DevServerOptions } from "../../e2e/support/dev-server.js";
import { closeQuietly } from "../support/chromium.js";
import { settledStreams, type BrowserEnv, type Figures, type StreamCounter } from "../support/env.js";
import { createPublisher } from "../support/publisher.js";
import { median, round } from "../support/stats.js";

export const TABS = 5;
export const PUBLICATIONS = 20;
/** A plain fetch from the page that takes longer than this counts as not answered. */
export const FETCH_CAP_MS = 3_000;

/** What one first visit of 5 tabs came to. */
export interface FirstVisit {
  /** Open PullPublications streams once things settled. */
  readonly deviceStreams: number;
  /** Open PullPublication streams once things settled. */
  readonly publicationStreams: number;
  readonly tabsControlled: number;
  /** Tabs showing all 20 publications live. */
  readonly tabsShowingAll: number;
  /** Publications live in every one of the 5 tabs. */
  readonly shownInEveryTab: number;
  /** Median of the plain fetches that were answered within the cap (NaN when none was). */
  readonly fetchMedianMs: number;
  readonly fetchesAnswered: number;
  readonly fetchesTried: number;
  /** From the first navigation until every tab was controlled and showed everything (or the deadline). */
  readonly settledAfterMs: number;
}

/**
 * Fan-out: a first visit — 5 tabs of the built app opened at once in one
 * browser profile, no worker yet, each showing the same 20 publications of
 * one device. Once every tab is controlled by the worker and shows all 20,
 * the server's `/debug/stats` counts the open upstream streams
 * (PullPublications + PullPublication), and the page times a plain
 * `fetch(server + "/healthz")`, which needs one of the browser's six
 * HTTP/1.1 connections to that server too.
 *
 * Baseline, same run: the same app against a server started with
 * `--no-pull-all`, where the feed falls back to the per-publication engine
 * (one PullPublication per publication). In one profile only six of those
 * open; the rest, and the page's own fetch, wait for a connection (capped).
 */
export async function fanOut(env: BrowserEnv): Promise<Figures> {
  const ids = Array.from({ length: PUBLICATIONS }, (_, i) => `fan-${String(i + 1).padStart(2, "0")}`);
  const ours = await firstVisit(env, {}, ids, { deadlineMs: 40_000, fetches: env.smoke ? 3 : 9 });
  env.log(`fan-out: device feed → ${JSON.stringify(ours)}`);
  const baseline = await firstVisit(env, { pullAll: false }, ids, { deadlineMs: env.smoke ? 8_000 : 20_000, fetches: env.smoke ? 1 : 3 });
  env.log(`fan-out: per-publication engine (--no-pull-all) → ${JSON.stringify(baseline)}`);
  return {
    "fanout.deviceStreams": ours.deviceStreams + ours.publicationStreams,
    "fanout.publications": PUBLICATIONS,
    "fanout.tabs": TABS,
    "fanout.tabsControlled": ours.tabsControlled,
    "fanout.tabsShowingAll": ours.tabsShowingAll,
    "fanout.settledMs": round(ours.settledAfterMs, 0),
    "fanout.pageFetchMs": round(ours.fetchMedianMs),
    "fanout.pageFetchesAnswered": ours.fetchesAnswered,
    "fanout.pageFetchesTried": ours.fetchesTried,
    "fanout.baselineStreams": baseline.deviceStreams + baseline.publicationStreams,
    "fanout.baselineTabsControlled": baseline.tabsControlled,
    "fanout.baselineTabsShowingAll": baseline.tabsShowingAll,
    "fanout.baselineShownInEveryTab": baseline.shownInEveryTab,
    "fanout.baselinePageFetchMs": round(baseline.fetchMedianMs),
    "fanout.baselinePageFetchesAnswered": baseline.fetchesAnswered,
    "fanout.baselinePageFetchesTried": baseline.fetchesTried,
    "fanout.pageFetchCapMs": FETCH_CAP_MS,
  };
}

async function firstVisit(
  env: BrowserEnv,
  serverOptions: DevServerOptions,
  ids: readonly string[],
  { deadlineMs, fetches }: { deadlineMs: number; fetches: number },
): Promise<FirstVisit> {
  const server = await DevServer.start(serverOptions);
  try {
    const publish = createPublisher(server.url);
    for (const id of ids) await publish(id, firstValue(id));
    const visit = await openFirstVisit(env, server.url, server, ids, deadlineMs);
    try {
      const fetched = await timePageFetches(visit.pages[0]!, server.url, fetches);
      return { ...visit.state, fetchMedianMs: median(fetched.times), fetchesAnswered: fetched.times.length, fetchesTried: fetches };
    } finally {
      await visit.close();
    }
  } finally {
    await server.dispose();
  }
}

/** The value each publication of a first visit starts with (about 130 bytes). */
export function firstValue(id: string): string {
  return `first value of ${id}: ${"x".repeat(100)}`;
}

/** A first visit in progress: its tabs, what they came to, and how to end it. */
export interface OpenVisit {
  readonly pages: readonly Page[];
  readonly state: Omit<FirstVisit, "fetchMedianMs" | "fetchesAnswered" | "fetchesTried">;
  close(): Promise<void>;
}

/**
 * Opens 5 tabs of the app (`env.appOrigin`) at once in a fresh profile,
 * each showing `ids` from `serverUrl`, and waits until every tab is
 * controlled and shows them all — or nothing has moved for 3 s once every
 * tab is controlled (the per-publication engine over HTTP/1.1 never gets
 * there) — or the deadline; then counts the server's open streams once
 * settled. The tabs stay open for the caller.
 */
export async function openFirstVisit(
  env: BrowserEnv,
  serverUrl: string,
  server: StreamCounter,
  ids: readonly string[],
  deadlineMs: number,
): Promise<OpenVisit> {
  const context = await env.browser.newContext({ baseURL: env.appOrigin });
  try {
    const url = appUrl({ server: serverUrl, ids });
    const started = performance.now();
    const pages = await Promise.all(Array.from({ length: TABS }, () => context.newPage()));
    await Promise.all(pages.map((page) => page.goto(url)));

    let last = "";
    let since = performance.now();
    let tabs: TabState[] = [];
    for (;;) {
      tabs = await Promise.all(pages.map((page) => tabState(page, ids)));
      const streams = await server.streams();
      const now = JSON.stringify([tabs, streams]);
      if (now !== last) {
        last = now;
        since = performance.now();
      }
      const controlled = tabs.every((tab) => tab.controlled);
      if (controlled && tabs.every((tab) => tab.live.length === ids.length)) break;
      if (controlled && performance.now() - since >= 3_000) break;
      if (performance.now() - started >= deadlineMs) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const settledAfterMs = performance.now() - started;
    const streams = await settledStreams(server);
    tabs = await Promise.all(pages.map((page) => tabState(page, ids)));
    const everyTab = ids.filter((id) => tabs.every((tab) => tab.live.includes(id)));
    return {
      pages,
      state: {
        deviceStreams: streams.device,
        publicationStreams: streams.perPublication,
        tabsControlled: tabs.filter((tab) => tab.controlled).length,
        tabsShowingAll: tabs.filter((tab) => tab.live.length === ids.length).length,
        shownInEveryTab: everyTab.length,
        settledAfterMs,
      },
      close: () => closeQuietly(context),
    };
  } catch (error) {
    await closeQuietly(context);
    throw error;
  }
}

/** `count` plain fetches of `/healthz` from `page`, one after the other: the times of those answered within the cap. */
export async function timePageFetches(page: Page, server: string, count: number): Promise<{ times: number[] }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const tookMs = await timeHealthz(page, server);
    if (tookMs !== undefined) times.push(tookMs);
  }
  return { times };
}

interface TabState {
  readonly controlled: boolean;
  /** Ids shown with a value, in state `live`. */
  readonly live: string[];
}

function tabState(page: Page, ids: readonly string[]): Promise<TabState> {
  return page.evaluate(
    (wanted) => ({
      controlled: navigator.serviceWorker.controller !== null,
      live: wanted.filter((id) => {
        const element = document.querySelector<HTMLElement>(`[data-publication-id="${id}"]`);
        return element?.dataset.state === "live" && (element.dataset.version ?? "") !== "";
      }),
    }),
    ids,
  );
}

/** One plain `fetch(server + "/healthz")` from the page, in ms; undefined when not answered within the cap. */
export function timeHealthz(page: Page, server: string): Promise<number | undefined> {
  return page.evaluate(
    async ([base, capMs]) => {
      const start = performance.now();
      try {
        const response = await fetch(`${base}/healthz`, { cache: "no-store", signal: AbortSignal.timeout(capMs) });
        await response.text();
        return performance.now() - start;
      } catch {
        return undefined;
      }
    },
    [server, FETCH_CAP_MS] as const,
  );
}
