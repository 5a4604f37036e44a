import { isDeepStrictEqual } from "node:util";
import { KIOSK_NAME, type KioskSite } from "../support/kiosk-site.js";
import { expectHostedByWorker, expectNoPageErrors, shown, waitFor, waitForEqual, type Shown } from "./app-contract.js";
import type { BrowserSession, BrowserTab, Tablet } from "./browser-session.js";

/**
 * The kiosk-tablet flows over HTTPS, written once against Tablet and run in
 * every engine (run.ts): `npm start -- --tls --name kiosk.test` (KioskSite),
 * a tablet that trusts the site's CA the way its engine's platform does
 * (never by turning certificate checks off) and resolves kiosk.test to this
 * machine. The Chromium version: e2e/kiosk-https.e2e.ts.
 */
export interface KioskFlowContext {
  /** The site, started: both servers over HTTPS, the demo data seeded. */
  readonly site: KioskSite;
  /** A tablet set up to trust the site's CA, not booted yet. */
  readonly tablet: Tablet;
  /** Runs one step of the flow: a failure names the step; the runner reports how long each took. */
  readonly step: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  /** A line for the report (the browser's version). */
  readonly report: (message: string) => void;
}

export interface KioskFlow {
  readonly name: string;
  run(context: KioskFlowContext): Promise<void>;
}

/** The demo building's cards (src/dev/seed). */
const DEMO_IDS = ["site-config", "alarm-thresholds", "announcements", "floor-plan"];

export const KIOSK_FLOWS: readonly KioskFlow[] = [
  {
    name: "kiosk 1. first visit by name over https, the site's CA trusted: a secure context, the worker in control, the demo data live, one device stream over h2",
    async run({ site, tablet, step, report }) {
      const session = await boot(tablet, step, report);
      try {
        const tab = session.firstTab;
        await step(`the dashboard by name: a secure context at https://${KIOSK_NAME}, over h2`, () => openByName(tab, site));
        await step("the service worker controls the page and hosts the cache", () => expectHostedByWorker(tab));
        await step("the four demo cards live", () => expectAllLive(tab));
        await step("the server sees one device stream, over h2", () => expectOneH2Stream(site));
        await step("the page's diagnostics say h2", () => waitForEqual("the upstream protocol", () => upstreamProtocol(tab), "h2"));
        await step("no page errors", () => expectNoPageErrors([tab]));
      } finally {
        await session.close();
      }
    },
  },
  {
    name: "kiosk 2. reboot with the site down: the page from the worker, the stored data with its versions, 'Offline since …'; the site back: live again",
    async run({ site, tablet, step, report }) {
      // Retrying every second, not after the default 10–30 s, so that "live again" comes within the step's wait.
      const url = `${site.dashboardUrl}&backoffMs=1000`;
      let session = await boot(tablet, step, report);
      let versions: Record<string, string>;
      try {
        const tab = session.firstTab;
        versions = await step("first visit: the worker in control, the demo cards live", async () => {
          await openByName(tab, site, url);
          await expectHostedByWorker(tab);
          return expectAllLive(tab);
        });
        await step("no page errors", () => expectNoPageErrors([tab]));
        await step("power cut: the site killed", () => site.kill());
      } finally {
        await session.close();
      }
      session = await step("reboot: the browser launched again on the same profile", () => tablet.boot());
      try {
        const tab = session.firstTab;
        await step("the dashboard opened with the site down: the page comes from the worker", async () => {
          await tab.goto(url);
          // Nothing listens on the site's ports: only the worker (or an HTTP cache, which would leave the page uncontrolled) can answer.
          const page = await tab.evaluate(() => ({ url: location.href, app: window.pubcacheApp !== undefined, controlled: navigator.serviceWorker?.controller != null }), undefined);
          const expected = { url, app: true, controlled: true };
          if (!isDeepStrictEqual(page, expected)) throw new Error(`expected ${JSON.stringify(expected)}, the page says ${JSON.stringify(page)}`);
        });
        await step("the stored data with its versions, not live; 'Offline since …'", () =>
          waitFor(
            `the stored versions ${JSON.stringify(versions)}, not live, the announcement's text and "Offline since <time>"`,
            () => offlineView(tab),
            (view) =>
              DEMO_IDS.every((id) => view.cards[id]?.version === versions[id] && view.cards[id]?.state !== undefined && view.cards[id]?.state !== "live") &&
              (view.cards.announcements?.text ?? "").includes("fire alarm will be tested") &&
              /^Offline since \d{1,2}:\d{2}/.test(view.banner ?? "") &&
              view.chip === "Offline",
          ),
        );
        await step("the site back (same ports, same CA): live again, the banner gone, one device stream over h2", async () => {
          await site.restart();
          await waitFor("every card live and no banner", () => offlineView(tab), (view) => view.bannerHidden && DEMO_IDS.every((id) => view.cards[id]?.state === "live"));
          await expectOneH2Stream(site);
        });
        await step("no page errors", () => expectNoPageErrors([tab]));
      } finally {
        await session.close();
      }
    },
  },
];

async function boot(tablet: Tablet, step: KioskFlowContext["step"], report: KioskFlowContext["report"]): Promise<BrowserSession> {
  const session = await step("boot the tablet", () => tablet.boot());
  report(`${session.version}; ${tablet.description}`);
  return session;
}

/** Opens the dashboard URL the site printed (or `url`, the same with test options), by name; checks it is a secure context reached over h2. */
async function openByName(tab: BrowserTab, site: KioskSite, url = site.dashboardUrl): Promise<void> {
  const name = KIOSK_NAME.replaceAll(".", "\\.");
  const printed = new RegExp(`^https://${name}:\\d+/\\?server=https://${name}:\\d+&`);
  if (!printed.test(site.dashboardUrl)) throw new Error(`the site printed ${site.dashboardUrl}, not an https URL by name`);
  await tab.goto(url);
  const page = await tab.evaluate(
    () => ({
      secure: isSecureContext,
      origin: location.origin,
      nextHopProtocol: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.nextHopProtocol,
    }),
    undefined,
  );
  const expected = { secure: true, origin: new URL(site.dashboardUrl).origin, nextHopProtocol: "h2" };
  if (!isDeepStrictEqual(page, expected)) throw new Error(`expected ${JSON.stringify(expected)}, the page says ${JSON.stringify(page)}`);
}

/** Waits until every demo card is live with a version; resolves to id → version. */
async function expectAllLive(tab: BrowserTab): Promise<Record<string, string>> {
  const cards = await waitFor("the four demo cards live with a version", () => demoCards(tab), (now) => DEMO_IDS.every((id) => now[id]?.state === "live" && !!now[id]?.version));
  return Object.fromEntries(DEMO_IDS.map((id) => [id, cards[id]!.version!]));
}

async function demoCards(tab: BrowserTab): Promise<Record<string, Shown>> {
  return Object.fromEntries(await Promise.all(DEMO_IDS.map(async (id) => [id, await shown(tab, id)] as const)));
}

/** The cards, the banner and the screen's status chip. */
async function offlineView(tab: BrowserTab): Promise<{ cards: Record<string, Shown>; banner: string | undefined; bannerHidden: boolean; chip: string | undefined }> {
  const chrome = await tab.evaluate(
    () => ({
      banner: document.querySelector(".banner-title")?.textContent?.trim(),
      bannerHidden: document.querySelector<HTMLElement>(".banner")?.hidden ?? true,
      chip: document.querySelector(".screen-chip")?.textContent?.trim(),
    }),
    undefined,
  );
  return { cards: await demoCards(tab), ...chrome };
}

function upstreamProtocol(tab: BrowserTab): Promise<string | undefined> {
  return tab.evaluate(() => window.pubcacheApp?.client.diagnostics.upstreamProtocol?.protocol, undefined);
}

/** One PullPublications stream for the device, none per publication, carried over HTTP/2 (the server's /debug/stats). */
function expectOneH2Stream(site: KioskSite): Promise<unknown> {
  return waitForEqual(
    "the server's open streams",
    async () => {
      const { openStreams, protocols } = await site.stats();
      return { device: openStreams.PullPublications, perPublication: openStreams.PullPublication, h2: protocols.h2.openStreams, http1: protocols["http/1.1"].openStreams };
    },
    { device: 1, perPublication: 0, h2: 1, http1: 0 },
  );
}
