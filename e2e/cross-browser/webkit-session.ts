import { existsSync } from "node:fs";
import { Builder, type WebDriver } from "selenium-webdriver";
import { findFreePort } from "selenium-webdriver/net/portprober.js";
import { DriverService } from "selenium-webdriver/remote/index.js";
import type { BrowserEngine, BrowserSession, BrowserTab, PageFunction } from "./browser-session.js";
import { webkitTablet } from "./webkit-tablet.js";
import { Xvfb } from "./xvfb.js";

/** Debian's WebKitGTK (`apt-get install -y webkit2gtk-driver xvfb`), as notes/platform.md measured it. */
export const WEBKIT_DRIVER_PATH = process.env.PUBCACHE_WEBKIT_DRIVER ?? "/usr/bin/WebKitWebDriver";
export const MINIBROWSER_PATH = process.env.PUBCACHE_MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
export const XVFB_PATH = process.env.PUBCACHE_XVFB ?? "/usr/bin/Xvfb";

/**
 * `navigator.storage` is off in WebKitGTK unless switched on (Safari ships
 * it; the dashboard's diagnostics read it).
 */
const WEBKIT_FEATURES = ["StorageAPI", "StorageAPIEstimate"];

/** How a WebKitGTK browser is started under WebKitWebDriver. */
export interface WebKitLaunch {
  /** The name the browser reports (WebKitWebDriver matches `browserName` against it). */
  readonly browserName: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** A command that runs WebKitWebDriver (its path and `--port` appended), e.g. in a namespace of its own. */
  readonly driverPrefix?: readonly string[];
  /** Environment for the driver and so the browser, besides this process's and `DISPLAY`. */
  readonly env?: Readonly<Record<string, string>>;
}

/** MiniBrowser with a fresh, ephemeral profile (its automation mode is always ephemeral). */
const MINIBROWSER: WebKitLaunch = {
  browserName: "MiniBrowser",
  binary: MINIBROWSER_PATH,
  args: ["--automation", `--features=${WEBKIT_FEATURES.map((feature) => `+${feature}`).join(",")}`],
};

/**
 * WebKitWebDriver has no BiDi, so no console or error stream: the page
 * collects its own uncaught errors once loaded (installed after every navigation).
 */
const COLLECT_ERRORS = `
  if (!window.__crossBrowserErrors) {
    window.__crossBrowserErrors = [];
    window.addEventListener("error", (e) => window.__crossBrowserErrors.push("error: " + e.message));
    window.addEventListener("unhandledrejection", (e) => window.__crossBrowserErrors.push("unhandled rejection: " + (e.reason instanceof Error ? e.reason.name + ": " + e.reason.message : String(e.reason))));
  }`;

/** WebKit: WebKitGTK's MiniBrowser under Xvfb, driven by selenium-webdriver through WebKitWebDriver. */
export function webkitEngine(): BrowserEngine {
  let xvfb: Xvfb | undefined;
  return {
    name: "WebKit",
    async start() {
      const missing = [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, XVFB_PATH].filter((path) => !existsSync(path));
      if (missing.length > 0) {
        throw new Error(`WebKit: ${missing.join(", ")} not found: install them (apt-get install -y webkit2gtk-driver xvfb) or set PUBCACHE_WEBKIT_DRIVER, PUBCACHE_MINIBROWSER, PUBCACHE_XVFB`);
      }
      xvfb = await Xvfb.start(XVFB_PATH);
    },
    async launch() {
      if (!xvfb) throw new Error("WebKit: start() first");
      return WebKitSession.launch(xvfb.display, MINIBROWSER);
    },
    async tablet(setup) {
      const display = xvfb?.display;
      if (display === undefined) throw new Error("WebKit: start() first");
      return webkitTablet(setup, { features: WEBKIT_FEATURES, launch: (browser) => WebKitSession.launch(display, browser) });
    },
    async stop() {
      await xvfb?.stop();
      xvfb = undefined;
    },
  };
}

/**
 * One WebKitGTK browser (MiniBrowser, or a tablet's shell) and its own WebKitWebDriver.
 * WebDriver has one current window per session, so every tab's command
 * switches to its window first, one command at a time.
 */
class WebKitSession implements BrowserSession {
  private current: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly service: DriverService,
    private readonly driver: WebDriver,
    readonly version: string,
    firstHandle: string,
  ) {
    this.current = firstHandle;
    this.firstTab = this.tab(firstHandle);
  }

  readonly firstTab: BrowserTab;

  static async launch(display: string, browser: WebKitLaunch): Promise<WebKitSession> {
    const port = await findFreePort();
    const [executable, ...prefix] = [...(browser.driverPrefix ?? []), WEBKIT_DRIVER_PATH];
    const service = new DriverService(executable, {
      port,
      hostname: "127.0.0.1",
      args: [...prefix, `--port=${port}`],
      env: { ...process.env, ...browser.env, DISPLAY: display },
    });
    try {
      const url = await service.start(30_000);
      const driver = new Builder()
        .usingServer(url)
        .withCapabilities({ browserName: browser.browserName, "webkitgtk:browserOptions": { binary: browser.binary, args: [...browser.args] } })
        .build();
      const capabilities = await driver.getCapabilities();
      const version = `WebKitGTK ${String(capabilities.get("browserVersion"))}, ${browser.browserName}`;
      return new WebKitSession(service, driver, version, await driver.getWindowHandle());
    } catch (error) {
      await service.kill();
      throw error;
    }
  }

  async newTab(): Promise<BrowserTab> {
    const handle = await this.serially(async () => {
      await this.driver.switchTo().newWindow("tab");
      this.current = await this.driver.getWindowHandle();
      return this.current;
    });
    return this.tab(handle);
  }

  async close(): Promise<void> {
    try {
      await this.driver.quit();
    } finally {
      await this.service.kill();
    }
  }

  /** Runs `command` in `handle`'s window, after every command queued before it. */
  private inWindow<T>(handle: string, command: () => Promise<T>): Promise<T> {
    return this.serially(async () => {
      if (this.current !== handle) {
        await this.driver.switchTo().window(handle);
        this.current = handle;
      }
      return command();
    });
  }

  private serially<T>(command: () => Promise<T>): Promise<T> {
    const next = this.queue.then(command);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private tab(handle: string): BrowserTab {
    const driver = this.driver;
    const loaded = async () => void (await driver.executeScript(COLLECT_ERRORS));
    return {
      goto: (url) =>
        this.inWindow(handle, async () => {
          await driver.get(url);
          await loaded();
        }),
      reload: () =>
        this.inWindow(handle, async () => {
          await driver.navigate().refresh();
          await loaded();
        }),
      evaluate: <A, R>(fn: PageFunction<A, R>, arg: A) =>
        this.inWindow(handle, () => driver.executeScript<R>(`return (${fn.toString()})(arguments[0]);`, arg)),
      pageErrors: () => this.inWindow(handle, () => driver.executeScript<string[]>("return window.__crossBrowserErrors || [];")),
      close: () =>
        this.inWindow(handle, async () => {
          await driver.close();
          this.current = undefined;
        }),
    };
  }
}
