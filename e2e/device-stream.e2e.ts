import { rm } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { encodeFileName } from "../src/storage/file/file-name-codec.js";
import { appUrl, expectControlled, expectShown, publication } from "./support/app-page.js";
import { DevServer, type DevServerOptions } from "./support/dev-server.js";
import { publishBody } from "./dashboard-support/demo-data.js";
import { apiClient } from "./support/publish-api.js";

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

/**
 * The server every real site runs, as it is (`--db-like`: no pulls, read
 * masks ignored, UNKNOWN for a missing row): a screen that wants 3 of a
 * device of 60 polls them by GetPublication (the device listing would
 * carry all 60 bodies), at the interval `?pollS=` sets; an update shows at
 * the next poll, and a deleted publication — which Get reports as UNKNOWN
 * "no rows in result set", checked against a listing — shows as removed,
 * its last value kept.
 */
test("the database-backed server as it is (--db-like): 3 of 60 polled by Get at ?pollS=, fresh, and a deleted one shown as removed", async ({ page }) => {
  const server = await DevServer.start({ dbLike: true });
  try {
    const client = apiClient(server.url);
    const versions = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const id = `cfg-${String(i).padStart(2, "0")}`;
      versions.set(id, await publish(server.url, id, `${id} one`));
    }
    const ids = ["cfg-05", "cfg-30", "cfg-55"];
    await page.goto(`${appUrl({ server: server.url, ids, backoffMs: 500 })}&pollS=1`);
    for (const id of ids) await expectShown(page, id, { version: versions.get(id)!, state: "polling", text: `${id} one` });
    await expectControlled(page);

    const before = (await server.stats()).calls;
    const next = await publish(server.url, "cfg-30", "cfg-30 two");
    await expectShown(page, "cfg-30", { version: next, state: "polling", text: "cfg-30 two" });
    // Polls went on by Gets: 3 a poll; no listing of the 60 bodies.
    await expect.poll(async () => ((await server.stats()).calls.GetPublication ?? 0) - (before.GetPublication ?? 0)).toBeGreaterThanOrEqual(6);
    expect(((await server.stats()).calls.ListPublications ?? 0) - (before.ListPublications ?? 0)).toBe(0);

    await client.deletePublication({ name: "", id: "cfg-55" });
    await expectShown(page, "cfg-55", { version: versions.get("cfg-55")!, state: "removed", text: "cfg-55 one" });
    await expectShown(page, "cfg-05", { version: versions.get("cfg-05")!, state: "polling" });
  } finally {
    await server.dispose();
  }
});
