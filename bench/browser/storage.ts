import type { StorageRun } from "../pages/storage.js";
import { closeQuietly } from "../support/chromium.js";
import type { BrowserEnv, Figures } from "../support/env.js";
import { median, round } from "../support/stats.js";

/**
 * Storage: 1,000 publications of 10 KB written then read one at a time with
 * our IndexedDB storage and with raw `idb` put/get, interleaved in the same
 * Chromium page (bench/pages/storage.ts), timed in batches of 20. Figures
 * are the ratio of the median per-operation times (ours ÷ raw).
 */
export async function storage(env: BrowserEnv): Promise<Figures> {
  const count = env.smoke ? 50 : 1_000;
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${env.pagesOrigin}/storage.html`);
    await page.waitForFunction(() => "benchStorage" in window);
    const batchSize = env.smoke ? 10 : 20;
    const run: StorageRun = await page.evaluate(([n, bytes, batch]) => window.benchStorage.run(n, bytes, batch), [count, 10 * 1024, batchSize] as const);
    const m = {
      oursWrite: median(run.oursWrite),
      rawWrite: median(run.rawWrite),
      rawStrictWrite: median(run.rawStrictWrite),
      rawEncodedWrite: median(run.rawEncodedWrite),
      oursRead: median(run.oursRead),
      rawRead: median(run.rawRead),
      rawReadTxDone: median(run.rawReadTxDone),
    };
    const figures = {
      "storage.writeRatio": round(m.oursWrite / m.rawWrite, 2),
      "storage.readRatio": round(m.oursRead / m.rawRead, 2),
      "storage.oursWriteMedianMs": round(m.oursWrite, 3),
      "storage.rawWriteMedianMs": round(m.rawWrite, 3),
      "storage.rawStrictWriteMedianMs": round(m.rawStrictWrite, 3),
      "storage.writeRatioVsRawStrict": round(m.oursWrite / m.rawStrictWrite, 2),
      "storage.rawEncodedWriteMedianMs": round(m.rawEncodedWrite, 3),
      "storage.writeRatioVsRawEncoded": round(m.oursWrite / m.rawEncodedWrite, 2),
      "storage.oursReadMedianMs": round(m.oursRead, 3),
      "storage.rawReadMedianMs": round(m.rawRead, 3),
      "storage.rawReadTxDoneMedianMs": round(m.rawReadTxDone, 3),
      "storage.readRatioVsRawTxDone": round(m.oursRead / m.rawReadTxDone, 2),
      "storage.publications": count,
    };
    env.log(`storage: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await closeQuietly(context);
  }
}
