import { expect, test } from "@playwright/test";
import { appUrl, expectShown, hostMode } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

/**
 * Regression: on a first visit the page hosts the cache in a leader tab until
 * a worker controls it. With 3+ publications the installing worker used to
 * stay `installing` for good (README, Performance), so the page was never
 * controlled. A fresh context here is a first visit.
 */
// Four as in the bug report; six fill the browser's six connections to the
// server with the leader tab's streams alone, so any stream the installing
// worker opened would have to wait (the stall, every time).
for (const ids of [["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f"]]) {
test(`1b. first visit with ${ids.length} publications: the worker activates, controls the page, one stream per publication`, async ({
  page,
}) => {
  const server = await DevServer.start();
  try {
    const versions: string[] = [];
    for (const id of ids) versions.push(await publish(server.url, id, `value of ${id}`));

    // Sample the server's open streams all along the hand-over from leader
    // tab to worker: at no moment may both stream (the old code did, and the
    // worker's queued streams then stalled its install — a race, so the
    // maximum is the reliable witness, not the final count).
    let mostStreams = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        mostStreams = Math.max(mostStreams, (await server.stats()).openStreams.PullPublication ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await page.goto(appUrl({ server: server.url, ids }));
    for (const [i, id] of ids.entries()) {
      await expectShown(page, id, { version: versions[i]!, state: "live", text: `value of ${id}` });
    }

    // The worker installs, activates and takes control within a reasonable time.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 15_000 })
      .toBe("activated");
    await expect.poll(() => hostMode(page)).toBe("service-worker");

    // Exactly one stream per publication: the leader tab's are gone, none doubled.
    await expect.poll(async () => (await server.stats()).openStreams.PullPublication ?? 0).toBe(ids.length);
    // …and it stays so (no late second set of streams).
    await page.waitForTimeout(1_000);
    expect((await server.stats()).openStreams.PullPublication).toBe(ids.length);
    sampling = false;
    await sampler;
    expect(mostStreams, "never more streams than publications, even during the hand-over").toBe(ids.length);

    for (const [i, id] of ids.entries()) {
      await expectShown(page, id, { version: versions[i]!, state: "live", text: `value of ${id}` });
    }
    // Live through the worker.
    const next = await publish(server.url, "c", "c again");
    await expectShown(page, "c", { version: next, state: "live", text: "c again" });
    expect((await server.stats()).openStreams.PullPublication).toBe(ids.length);
  } finally {
    await server.dispose();
  }
});
}
