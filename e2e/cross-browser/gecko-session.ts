import { existsSync } from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { BrowserEngine, BrowserSession, BrowserTab, PageFunction } from "./browser-session.js";
import { geckoTablet } from "./gecko-tablet.js";

/** Debian's Firefox ESR (`apt-get install -y firefox-esr`); no geckodriver: puppeteer-core speaks WebDriver BiDi to it. */
export const FIREFOX_PATH = process.env.PUBCACHE_FIREFOX ?? "/usr/bin/firefox-esr";

/** Gecko: Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi. */
export function geckoEngine(): BrowserEngine {
  return {
    name: "Gecko",
    async start() {
      if (!existsSync(FIREFOX_PATH)) {
        throw new Error(`Gecko: ${FIREFOX_PATH} not found: install it (apt-get install -y firefox-esr) or set PUBCACHE_FIREFOX`);
      }
    },
    launch: () => launchGecko(),
    tablet: (setup) => geckoTablet(setup, launchGecko),
    async stop() {},
  };
}

/** Where and how a Firefox starts. */
export interface GeckoLaunch {
  /** A profile directory that outlives the browser; without it, a fresh temporary one (puppeteer creates and removes it). */
  readonly userDataDir?: string;
  /** Preferences besides puppeteer's own (written to the profile's user.js for this run). */
  readonly prefs?: Readonly<Record<string, unknown>>;
}

/** Starts one headless Firefox. */
export function launchGecko(options: GeckoLaunch = {}): Promise<BrowserSession> {
  return GeckoSession.launch(options);
}

class GeckoSession implements BrowserSession {
  private constructor(
    private readonly browser: Browser,
    readonly version: string,
    readonly firstTab: BrowserTab,
  ) {}

  static async launch({ userDataDir, prefs }: GeckoLaunch): Promise<GeckoSession> {
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX_PATH,
      headless: true,
      ...(userDataDir !== undefined && { userDataDir }),
      ...(prefs !== undefined && { extraPrefsFirefox: { ...prefs } }),
    });
    try {
      const [first] = await browser.pages();
      const page = first ?? (await browser.newPage());
      return new GeckoSession(browser, await browser.version(), geckoTab(page));
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  async newTab(): Promise<BrowserTab> {
    return geckoTab(await this.browser.newPage());
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

function geckoTab(page: Page): BrowserTab {
  // BiDi streams the page's uncaught errors from its first script on.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error instanceof Error ? error.message : String(error)));
  return {
    goto: async (url) => void (await page.goto(url, { waitUntil: "load" })),
    reload: async () => void (await page.reload({ waitUntil: "load" })),
    evaluate: <A, R>(fn: PageFunction<A, R>, arg: A) => page.evaluate(`(${fn.toString()})(${JSON.stringify(arg)})`) as Promise<R>,
    pageErrors: async () => [...errors],
    close: () => page.close(),
  };
}
