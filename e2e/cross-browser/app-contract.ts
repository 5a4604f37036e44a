import { isDeepStrictEqual } from "node:util";
import type { BrowserTab } from "./browser-session.js";

/**
 * The app's page contract (src/dashboard/publication-card.ts: the
 * `data-publication-id`, `data-version`, `data-state` attributes and the
 * `.body` text; `window.pubcacheApp`), read through the driver-neutral
 * BrowserTab — what e2e/support/app-page.ts reads through Playwright, so a
 * flow here means what the Chromium suite means.
 */

/** As long as Playwright's `expect` waits in the Chromium suite: nothing here asserts on speed. */
export const WAIT_MS = 20_000;

/** Polls `read` until `accept` holds; the error names what was awaited and the last value seen. */
export async function waitFor<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  for (;;) {
    try {
      last = await read();
      failure = undefined;
      if (accept(last)) return last;
    } catch (error) {
      // A page that is navigating cannot answer yet: try again until the deadline.
      failure = error;
    }
    if (Date.now() > deadline) {
      const seen = failure === undefined ? JSON.stringify(last) : `an error: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `read` resolves to a value deep-equal to `expected`. */
export function waitForEqual<T>(what: string, read: () => Promise<T>, expected: T, timeoutMs = WAIT_MS): Promise<T> {
  return waitFor(`${what} to be ${JSON.stringify(expected)}`, read, (value) => isDeepStrictEqual(value, expected), timeoutMs);
}

/** What a publication's card shows; `undefined` fields when the card is not on the page. */
export interface Shown {
  readonly version: string | undefined;
  readonly state: string | undefined;
  readonly text: string | undefined;
}

/** The card of publication `id` as the page shows it now. */
export function shown(tab: BrowserTab, id: string): Promise<Shown> {
  return tab.evaluate((key) => {
    const card = document.querySelector(`[data-publication-id="${CSS.escape(key)}"]`);
    const body = card?.querySelector(".body");
    return {
      version: card?.getAttribute("data-version") ?? undefined,
      state: card?.getAttribute("data-state") ?? undefined,
      // Whitespace collapsed, as Playwright's toHaveText compares.
      text: body?.textContent?.replace(/\s+/g, " ").trim() ?? undefined,
    };
  }, id);
}

/** Waits until the page shows `id` at `expected.version` (and, where given, in `state`, not in `notState`, with `text`). */
export function expectShown(
  tab: BrowserTab,
  id: string,
  expected: { version: string; state?: string; notState?: string; text?: string },
): Promise<Shown> {
  return waitFor(
    `"${id}" shown as ${JSON.stringify(expected)}`,
    () => shown(tab, id),
    (now) =>
      now.version === expected.version &&
      (expected.state === undefined || now.state === expected.state) &&
      (expected.notState === undefined || (now.state !== undefined && now.state !== expected.notState)) &&
      (expected.text === undefined || now.text === expected.text),
  );
}

/** Who controls the page and who hosts its cache (`window.pubcacheApp.client.diagnostics.mode`). */
export function control(tab: BrowserTab): Promise<{ controlled: boolean; mode: string | undefined }> {
  return tab.evaluate(
    () => ({
      controlled: navigator.serviceWorker?.controller != null,
      // Undefined until the app's script has run.
      mode: window.pubcacheApp?.client.diagnostics.mode,
    }),
    undefined,
  );
}

/** Waits until a service worker controls the page and hosts the cache. */
export function expectHostedByWorker(tab: BrowserTab): Promise<unknown> {
  return waitForEqual("the page controlled by the service worker, which hosts the cache", () => control(tab), { controlled: true, mode: "service-worker" });
}

/** When the tab's document began and how it was navigated to: a new document has a new `timeOrigin`. */
export function documentLoad(tab: BrowserTab): Promise<{ timeOrigin: number; type: string | undefined }> {
  return tab.evaluate(
    () => ({
      timeOrigin: performance.timeOrigin,
      type: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.type,
    }),
    undefined,
  );
}

/** Fails when any tab reported an uncaught error. */
export async function expectNoPageErrors(tabs: readonly BrowserTab[]): Promise<void> {
  const errors = (await Promise.all(tabs.map((tab) => tab.pageErrors()))).flat();
  if (errors.length > 0) throw new Error(`the page reported errors:\n${errors.join("\n")}`);
}
