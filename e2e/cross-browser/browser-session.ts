/**
 * The seam between the cross-browser flows and the browser automation
 * libraries: one small interface, implemented over selenium-webdriver
 * (WebKitGTK, webkit-session.ts) and over puppeteer-core (Firefox ESR over
 * WebDriver BiDi, gecko-session.ts). A flow written against it means the
 * same in every engine.
 */

/** A function run in the page: its source is sent, so it may use only its argument and the page's globals. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

/** One tab of a session. */
export interface BrowserTab {
  /** Navigates to an absolute URL and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Reloads and waits for the load event. */
  reload(): Promise<void>;
  /** Runs `fn(arg)` in the page and resolves to its (JSON-serialisable) result. */
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R>;
  /**
   * Uncaught errors and unhandled rejections the page reported since it was
   * opened. Gecko reports them from the first script on; WebKit (no BiDi)
   * from a listener installed when each navigation has loaded.
   */
  pageErrors(): Promise<string[]>;
  /** Closes the tab. */
  close(): Promise<void>;
}

/** A running browser: a fresh profile (`BrowserEngine.launch`) or a tablet's (`Tablet.boot`). */
export interface BrowserSession {
  /** e.g. "WebKitGTK 2.50.1", as the browser reports it. */
  readonly version: string;
  /** The tab the browser opened with. */
  readonly firstTab: BrowserTab;
  /** Opens another tab of the same profile. */
  newTab(): Promise<BrowserTab>;
  /** Quits the browser and whatever drove it. */
  close(): Promise<void>;
}

/** An engine the suite runs in. */
export interface BrowserEngine {
  /** "WebKit" or "Gecko". */
  readonly name: string;
  /**
   * Checks the engine is installed and starts what its sessions share (WebKit:
   * an X server). Throws with what to install when anything is missing: the
   * suite fails, never skips.
   */
  start(): Promise<void>;
  /** Starts a browser with a fresh profile (after `start`). */
  launch(): Promise<BrowserSession>;
  /**
   * Sets up a kiosk tablet (after `start`): a profile that outlives the
   * browser, with `setup.caPem` trusted as this engine's platform trusts a
   * CA (never by turning certificate checks off) and `setup.names`
   * resolving to 127.0.0.1. Throws with what to install when the engine
   * cannot.
   */
  tablet(setup: TabletSetup): Promise<Tablet>;
  /** Stops what `start` started. */
  stop(): Promise<void>;
}

/** What a tablet is set up with before its first boot. */
export interface TabletSetup {
  /** An empty directory of the tablet's own (its profile, its copies of system files): the caller removes it. */
  readonly dir: string;
  /** The site's CA certificate (PEM), installed as trusted. */
  readonly caPem: string;
  /** DNS names the tablet resolves to 127.0.0.1 (the site's machine). */
  readonly names: readonly string[];
}

/** A device with its own profile: booting again after `close()` is a reboot (worker, storage and trust kept). */
export interface Tablet {
  /** How this engine trusts the CA and resolves the names, as reported by the suite. */
  readonly description: string;
  /** Starts the browser on the tablet's profile. One session at a time. */
  boot(): Promise<BrowserSession>;
}
