import { writeFile } from "node:fs/promises";
import { expect, test, type CDPSession, type Page, type TestInfo } from "@playwright/test";
import { appUrl, expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { card } from "./dashboard-support/demo-data.js";
import { fitStatus, pageOtherThan, startFitChecker, type FitStatus } from "./dashboard-support/fit-checker.js";
import { publishScreenful } from "./dashboard-support/many-publications.js";

/**
 * The dashboard fits wall screens: for 4, 12 and 20 publications, at
 * 1280×800 and 1920×1080, light and dark, online and then offline (server
 * killed, banner shown), nothing on a card is clipped or overflows, no two
 * cards overlap, nothing covers the header or footer, text is at least
 * 16 px (20 px at 1920×1080), and the calm timer (here `pageMs`, short)
 * shows every part of every card within a bounded time. A screenshot of
 * every screen page of every combination is kept with the test results.
 * When every publication loses the server at once the banner says
 * "Offline since …" and never "Some data is not updating"; once the server
 * is back the banner goes, the cards take its room, and still nothing is
 * clipped.
 *
 * One server and one browser per publication count, against the normal
 * streaming server (the cache holds one upstream stream per server ×
 * device, whatever the number of publications). Two tabs, light and dark,
 * side by side and checked at the same time (the same layout, so the same
 * cycle), each combination as soon as it has shown every part of every card
 * and a screenshot of every page is kept. The same tabs go through every
 * phase: online at 1280×800, resized to 1920×1080; offline at 1920×1080,
 * resized back to 1280×800 with the banner shown; back online at 1280×800.
 * Screenshots come straight from the browser (CDP `Page.captureScreenshot`:
 * a fraction of the time Playwright's takes on a busy machine, short
 * enough to catch a page that stays one tick) with animations played a
 * thousand times faster, so none catches a page half faded in; one taken
 * while the page turned is not kept, and is taken again when the page is back.
 */
const PAGE_MS = 800;
/** The timer's bound: every page stays for at most MAX_PARTS (4) ticks. */
const MAX_PARTS = 4;
const TABLET = { name: "1280x800", viewport: { width: 1280, height: 800 }, minFontPx: 16 };
const WALL = { name: "1920x1080", viewport: { width: 1920, height: 1080 }, minFontPx: 19.9 };
const SCHEMES = ["light", "dark"] as const;
const BACKGROUND = { light: "rgb(233, 238, 243)", dark: "rgb(11, 19, 27)" } as const;

type Size = typeof TABLET;

/** One tab of the dashboard, at its current size. */
interface Screen {
  readonly name: string;
  readonly minFontPx: number;
  readonly page: Page;
  readonly cdp: CDPSession;
}

interface Tab {
  readonly scheme: (typeof SCHEMES)[number];
  readonly page: Page;
  readonly cdp: CDPSession;
}

for (const count of [4, 12, 20]) {
  test(`fit: ${count} publications at 1280×800 and 1920×1080, light and dark, online, offline and back: nothing clipped or overlapping, every card shown in time`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(360_000);
    const server = await DevServer.start();
    const context = await browser.newContext({ viewport: TABLET.viewport, locale: "en-GB" });
    try {
      const ids = await publishScreenful(server.url, count);
      // Install the worker first, as a kiosk has from its second start (see openDashboard), on the same
      // timings: the worker keeps this visit's engine for the device.
      const first = await context.newPage();
      await first.goto(appUrl({ server: server.url, ids: [ids[0]!], backoffMs: 2_000 }));
      await expectControlled(first);
      const url = `${appUrl({ server: server.url, ids, backoffMs: 2_000 })}&pageMs=${PAGE_MS}`;
      const tabs: Tab[] = await Promise.all(
        SCHEMES.map(async (scheme, i) => {
          const page = i === 0 ? first : await context.newPage();
          await page.emulateMedia({ colorScheme: scheme });
          const cdp = await context.newCDPSession(page);
          await cdp.send("Animation.enable");
          await cdp.send("Animation.setPlaybackRate", { playbackRate: 1_000 });
          await page.goto(url);
          return { scheme, page, cdp };
        }),
      );
      for (const { page } of tabs) for (const id of ids) await expect(card(page, id)).not.toHaveAttribute("data-version", "");
      for (const { page, scheme } of tabs) {
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background, `the ${scheme} theme`).toBe(BACKGROUND[scheme]);
      }
      /** Every tab at `size`, checked through every part of every card. */
      const checkAt = async (size: Size, phase: string) => {
        const screens = await Promise.all(tabs.map((tab) => resize(tab, size)));
        await Promise.all(screens.map((screen) => cycleThroughPages(screen, testInfo, `${count}-${phase}-${screen.name}`, ids)));
      };

      await test.step("online", async () => {
        for (const { page } of tabs) await expect(page.locator(".screen-chip")).toHaveText("Live");
        await checkAt(TABLET, "online");
        await checkAt(WALL, "online");
      });

      await test.step("offline", async () => {
        await Promise.all(tabs.map(({ page }) => recordScreen(page)));
        await server.kill();
        for (const { page } of tabs) {
          await expect(page.locator(".banner-title")).toHaveText(/^Offline since \d{1,2}:\d{2}$/);
          // One freshness message for the screen: the banner; no card repeats it.
          await expect(page.locator(".banner-detail")).toHaveText(/Reconnecting( in \d+ s\.|…)$/);
          await expect(page.locator(".card:not(.off-page) .freshness:visible")).toHaveCount(0);
        }
        await checkAt(WALL, "offline");
        await checkAt(TABLET, "offline");
      });

      await test.step("back online", async () => {
        await server.restart();
        for (const { page } of tabs) {
          await expect(page.locator(".banner")).toBeHidden();
          await expect(page.locator(".screen-chip")).toHaveText("Live");
        }
        const screens = await Promise.all(tabs.map((tab) => resize(tab, TABLET)));
        await Promise.all(screens.map((screen) => watchTwoTurns(screen, testInfo, `${count}-back-online-${screen.name}`)));
        for (const { page, scheme } of tabs) {
          // Every publication lost the server at once and got it back at once: the screen said so.
          const moments = await screenMoments(page);
          const said = [...new Set(moments.map((moment) => moment.banner).filter((title) => title !== ""))];
          const timeline = moments.map((m) => `${m.ms} ms: ${m.chip}, "${m.banner}", ${m.states}`).join("\n");
          expect(said.length, `${scheme}: the banner was shown`).toBeGreaterThan(0);
          expect(said.filter((title) => !/^Offline since \d{1,2}:\d{2}$/.test(title)), `${scheme}: what the banner said\n${timeline}`).toEqual([]);
        }
      });
    } finally {
      await context.close();
      await server.dispose();
    }
  });
}

/** The tab at `size`, once the layout has planned for it (two frames). */
async function resize(tab: Tab, size: Size): Promise<Screen> {
  await tab.page.setViewportSize(size.viewport);
  await tab.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return { name: `${size.name}-${tab.scheme}`, minFontPx: size.minFontPx, page: tab.page, cdp: tab.cdp };
}

/**
 * Waits until the checker has seen every part of every card (within the
 * timer's bound) and a screenshot of every screen page is kept (a page
 * turning while it was taken costs a cycle: some more time is allowed for
 * that on a busy machine), then asserts what the checker found.
 */
async function cycleThroughPages(screen: Screen, testInfo: TestInfo, name: string, ids: readonly string[]) {
  const { page, minFontPx } = screen;
  await startFitChecker(page, minFontPx);
  const shot = new Set<number>();
  let status = await fitStatus(page);
  const boundMs = Math.max(1, status.pages) * MAX_PARTS * PAGE_MS + 10_000;
  // A screenshot of a page that stays one tick (800 ms) is lost when the capture takes longer, which a loaded
  // 2-core CI machine does now and then: a page missed in one cycle is caught in a later one, given the time.
  const shotsBoundMs = boundMs + 60_000;
  const missingShots = () => Array.from({ length: status.pages }, (_, i) => i + 1).filter((p) => !shot.has(p));
  let incomplete: string[] = ids.slice();
  for (;;) {
    const shown = await pageOtherThan(page, [...shot], 250);
    const taken = shot.has(shown.page) ? undefined : await capture(screen, `${name}-page${shown.page}`, shown);
    status = await fitStatus(page);
    if (taken && (await keep(taken, status, testInfo))) shot.add(taken.page);
    if (status.elapsedMs <= boundMs) incomplete = ids.filter((id) => !status.cardsComplete.includes(id));
    const done = incomplete.length === 0 && status.checks >= 3;
    if ((done && missingShots().length === 0) || (!done && status.elapsedMs > boundMs) || status.elapsedMs > shotsBoundMs) break;
  }
  expectFits(status, name, minFontPx);
  expect(incomplete, `${name}: cards not fully shown within ${boundMs} ms (seen: ${status.seen.join(", ")})`).toEqual([]);
  expect(missingShots(), `${name}: screen pages without a screenshot`).toEqual([]);
  if (status.pages > 1) expect(status.indicator, `${name}: page indicator`).toMatch(/^Page \d+ of \d+$/);
  else expect(status.indicator).toBe("");
}

/** Checks the screen through two page turns (or a while, on a one-page screen), with a screenshot. */
async function watchTwoTurns(screen: Screen, testInfo: TestInfo, name: string) {
  const { page, minFontPx } = screen;
  await startFitChecker(page, minFontPx);
  const boundMs = 3 * MAX_PARTS * PAGE_MS + 10_000;
  let kept = false;
  let status: FitStatus;
  for (;;) {
    const taken = kept ? undefined : await capture(screen, name, await pageOtherThan(page, [], 0));
    status = await fitStatus(page);
    if (taken) kept = await keep(taken, status, testInfo);
    const watched = (status.turns >= 2 || status.pages <= 1) && status.elapsedMs >= 2 * PAGE_MS && status.checks >= 3;
    if ((watched && kept) || status.elapsedMs > boundMs) break;
    await page.waitForTimeout(100);
  }
  expectFits(status, name, minFontPx);
  expect(kept, `${name}: screenshot`).toBe(true);
}

function expectFits(status: FitStatus, name: string, minFontPx: number) {
  expect(status.violations, `${name}: what overflows, is clipped or overlaps`).toEqual([]);
  expect(status.smallestFontPx, `${name}: smallest text`).toBeGreaterThanOrEqual(minFontPx);
}

/** A screenshot of screen page `page`, seen on screen at `from` and taken by `to` (`Date.now()`). */
interface Shot {
  readonly name: string;
  readonly page: number;
  readonly from: number;
  readonly to: number;
  readonly png: Buffer;
}

async function capture(screen: Screen, name: string, shown: { readonly page: number; readonly at: number }): Promise<Shot> {
  const { data } = await screen.cdp.send("Page.captureScreenshot", { format: "png", optimizeForSpeed: true });
  return { name, page: shown.page, from: shown.at, to: Date.now(), png: Buffer.from(data, "base64") };
}

/** Keeps and attaches `shot` unless the screen page turned while it was taken (then it may show another page). */
async function keep(shot: Shot, status: FitStatus, testInfo: TestInfo): Promise<boolean> {
  if (status.turnTimes.some((at) => at > shot.from && at <= shot.to)) return false;
  const path = testInfo.outputPath(`${shot.name}.png`);
  await writeFile(path, shot.png);
  await testInfo.attach(shot.name, { path, contentType: "image/png" });
  return true;
}

/** What the screen said and each card's state, whenever one of them changed. */
interface ScreenMoment {
  readonly ms: number;
  /** The banner's title, "" while it is hidden. */
  readonly banner: string;
  readonly chip: string;
  readonly states: string;
}

/** Starts keeping a {@link ScreenMoment} at every change, from now on. */
async function recordScreen(page: Page) {
  await page.evaluate(() => {
    const moments: ScreenMoment[] = [];
    (window as unknown as { screenMoments: ScreenMoment[] }).screenMoments = moments;
    const started = performance.now();
    const banner = document.querySelector<HTMLElement>(".banner")!;
    new MutationObserver(() => {
      const moment = {
        ms: Math.round(performance.now() - started),
        banner: banner.hidden ? "" : (banner.querySelector(".banner-title")!.textContent ?? ""),
        chip: document.querySelector(".screen-chip")!.getAttribute("data-kind") ?? "",
        states: [...document.querySelectorAll<HTMLElement>(".card")].map((card) => card.dataset.state).join(" "),
      };
      const last = moments.at(-1);
      if (!last || last.banner !== moment.banner || last.chip !== moment.chip || last.states !== moment.states) moments.push(moment);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

function screenMoments(page: Page): Promise<ScreenMoment[]> {
  return page.evaluate(() => (window as unknown as { screenMoments: ScreenMoment[] }).screenMoments);
}
