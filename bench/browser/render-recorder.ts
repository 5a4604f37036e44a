import type { Page } from "@playwright/test";

/**
 * Installs, in `page`, a MutationObserver that records when each version is
 * first rendered (`data-version` set on a publication element), as
 * `performance.timeOrigin + performance.now()` — ms since the epoch, the
 * same scale as the server's `publish_time`. Reads what the page already
 * exposes (the DOM contract); no hook in the app is needed.
 *
 * (Functions run in the page avoid named local functions: tsx compiles them
 * with a `__name` helper that does not exist in the page.)
 */
export async function installRenderRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    const renders = new Map<string, number>();
    const waiters = new Map<string, Array<() => void>>();
    const observer = new MutationObserver((records) => {
      const at = performance.timeOrigin + performance.now();
      for (const record of records) {
        const version = (record.target as HTMLElement).dataset.version;
        if (!version || renders.has(version)) continue;
        renders.set(version, at);
        for (const wake of waiters.get(version) ?? []) wake();
        waiters.delete(version);
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-version"] });
    (window as unknown as { benchRenders: unknown }).benchRenders = {
      waitFor(version: string, timeoutMs: number): Promise<boolean> {
        if (renders.has(version)) return Promise.resolve(true);
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          const list = waiters.get(version) ?? [];
          list.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
          waiters.set(version, list);
        });
      },
      all() {
        return Object.fromEntries(renders);
      },
    };
  });
}

interface RenderRecorder {
  waitFor(version: string, timeoutMs: number): Promise<boolean>;
  all(): Record<string, number>;
}

/** Resolves once `version` has been rendered on `page`; throws after `timeoutMs`. */
export async function waitRendered(page: Page, version: string, timeoutMs = 10_000): Promise<void> {
  const seen = await page.evaluate(
    ([v, ms]) => (window as unknown as { benchRenders: RenderRecorder }).benchRenders.waitFor(v, ms),
    [version, timeoutMs] as const,
  );
  if (!seen) throw new Error(`version ${version} not rendered within ${timeoutMs} ms on ${page.url()}`);
}

/** Every version the page rendered, with when. */
export async function renderTimes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as unknown as { benchRenders: RenderRecorder }).benchRenders.all());
}
