import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, requireChromium } from "../../e2e/support/chromium.js";

/** The same browser and flags as the end-to-end tests (playwright.config.ts). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), args: [...CHROMIUM_ARGS] });
}

/** Chromium's version string, e.g. "156.0.8078.108". */
export function chromiumVersion(browser: Browser): string {
  return browser.version();
}

/** Stops every service worker of the context, as the browser does when idle (Playwright disables idle stops). */
export { stopAllServiceWorkers } from "../../e2e/support/app-page.js";

/** Waits until a service worker controls `page`. */
export async function waitControlled(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: timeoutMs, polling: 20 });
}

/** Closes a context, ignoring a browser that already went away. */
export async function closeQuietly(context: BrowserContext | undefined): Promise<void> {
  await context?.close().catch(() => {});
}
