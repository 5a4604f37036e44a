import { rm } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { encodeFileName } from "../src/storage/file/file-name-codec.js";
import { appUrl, expectControlled, expectShown, publication } from "./support/app-page.js";
import { DevServer, type DevServerOptions } from "./support/dev-server.js";
import { publishBody } from "./dashboard-support/demo-data.js";

const publish = (server: string, id: string, text: string) => publishBody(server, id, text, "text/plain");

/**
 * One upstream connection per server: every publication of a device over
 * one PullPublications stream, however many publications and tabs — so a
 * dashboard over HTTP/1.1 (six connections per host for the whole origin)
 * shows them all and its own calls to the same server still go through.
 */
test("12 publications × 2 tabs over HTTP/1.1: all shown, every update in both tabs, one stream, the page's own fetch still answered", async ({
  context,
}) => {
  test.setTimeout(120_000);
  const server = await DevServer.start();
  try {
    const ids = Array.from({ length: 12 }, (_, i) => `zone-${i + 1}`);
    const versions = new Map<string, string>();
    for (const id of ids) versions.set(id, await publish(server.url, id, `${id}: all normal`));
    const url = appUrl({ server: server.url, ids });
    const first = await context.newPage();
    await first.goto(url);
    await expectControlled(first);
    const second = await context.newPage();
    await second.goto(url);
    for (const tab of [first, second]) {
      for (const id of ids) await expectShown(tab, id, { version: versions.get(id)!, state: "live" });
    }
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

    for (const id of ["zone-1", "zone-7", "zone-12"]) {
      const next = await publish(server.url, id, `${id}: filter change due`);
      for (const tab of [first, second]) await expectShown(tab, id, { version: next, state: "live", text: `${id}: filter change due` });
    }
    expect(await server.streams()).toEqual({ device: 1, perPublication: 0 });

    // The dashboard's own call to the same server (it needs some of the six
    // connections too): answered, not queued behind the cache's streams.
    const tookMs = await first.evaluate(async (base) => {
      const start = performance.now();
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
      await response.text();
      return performance.now() - start;
    }, server.url);
    expect(tookMs).toBeLessThan(1_000);
  } finally {
    await server.dispose();
  }
});

test("a publication deleted while the server was down is removed once it is back, its last value kept", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const a = await publish(server.url, "welcome", "Welcome to building 1");
    const b = await publish(server.url, "works", "Roadworks on the north side");
    await page.goto(appUrl({ server: server.url, ids: ["welcome", "works"], backoffMs: 500 }));
    await expectControlled(page);
    await expectShown(page, "works", { version: b, state: "live" });
    await server.kill();
    await expect(publication(page, "works")).toHaveAttribute("data-state", "retrying");
    // Deleted while nobody could tell the screen.
    await rm(join(server.dataDir, encodeFileName("works")));
    await server.restart();
    await expectShown(page, "works", { version: b, state: "removed", text: "Roadworks on the north side" });
    await expectShown(page, "welcome", { version: a, state: "live" });
  } finally {
    await server.dispose();
  }
});

const fallbacks: Array<[string, DevServerOptions, string, { device: number; perPublication: number }]> = [
  ["PullPublications off (--no-pull-all): a stream per publication", { pullAll: false }, "live", { device: 0, perPublication: 3 }],
  ["both pulls off (--no-pull): the device polled", { pull: false }, "polling", { device: 0, perPublication: 0 }],
  ["the database-backed server (--db-like): the device polled", { dbLike: true }, "polling", { device: 0, perPublication: 0 }],
];
for (const [name, options, state, streams] of fallbacks) {
  test(`fallback — ${name}: every publication stays fresh`, async ({ page }) => {
    const server = await DevServer.start(options);
    try {
      const ids = ["site", "alarms", "notice"];
      const first = new Map<string, string>();
      for (const id of ids) first.set(id, await publish(server.url, id, `${id} one`));
      await page.goto(appUrl({ server: server.url, ids, pollMs: 500 }));
      for (const id of ids) await expectShown(page, id, { version: first.get(id)!, state, text: `${id} one` });
      await expectControlled(page);
      for (const id of ids) {
        const next = await publish(server.url, id, `${id} two`);
        await expectShown(page, id, { version: next, state, text: `${id} two` });
      }
      await expect.poll(() => server.streams()).toEqual(streams);
    } finally {
      await server.dispose();
    }
  });
}
