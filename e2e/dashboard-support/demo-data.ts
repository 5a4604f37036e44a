import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { expect, type Page } from "@playwright/test";
import { SEED_DIRECTORY } from "../../src/dev/seed-demo-data.js";
import { DEMO_PUBLICATION_IDS } from "../../src/dashboard/titles.js";
import { mediaTypeOfFile } from "../../src/server/media-type.js";
import { appUrl, type AppQuery } from "../support/app-page.js";
import { apiClient, publishBody } from "../support/publish-api.js";

/**
 * The demo building for dashboard tests: `npm start`'s seed files published
 * to a test's development server through its API (support/publish-api.ts).
 */
export { apiClient, publishBody };

/** Deletes `id` on `server`. */
export async function deletePublication(server: string, id: string, token?: string): Promise<void> {
  await apiClient(server, token).deletePublication({ name: "", id });
}

/** Publishes every seed file (site-config, alarm-thresholds, announcements, floor-plan); resolves to id → version. */
export async function publishDemoBuilding(server: string, token?: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  // The building's files only: the screens' configurations (seed/screens/) are not cards of these tests.
  const files = (await readdir(SEED_DIRECTORY, { withFileTypes: true })).filter((entry) => entry.isFile() && !entry.name.startsWith("."));
  for (const { name: file } of files) {
    const id = basename(file, extname(file));
    versions[id] = await publishBody(server, id, new Uint8Array(await readFile(join(SEED_DIRECTORY, file))), mediaTypeOfFile(file), token);
  }
  return versions;
}

/** The seed file's text, to compare with what a card holds. */
export function seedText(file: string): Promise<string> {
  return readFile(join(SEED_DIRECTORY, file), "utf8");
}

/** The dashboard for the demo publications on `server`. */
export function dashboardUrl(server: string, query: Partial<AppQuery> = {}): string {
  return appUrl({ server, ids: DEMO_PUBLICATION_IDS, ...query });
}

/** The card of publication `id`. */
export function card(page: Page, id: string) {
  return page.locator(`[data-publication-id="${id}"]`);
}

/**
 * Opens the dashboard once the service worker controls the origin: these
 * tests are about the dashboard, so they start from an installed worker, as
 * a kiosk does from its second start (first visits have tests of their own:
 * first-visit*.e2e.ts).
 */
export async function openDashboard(page: Page, server: string, query: Partial<AppQuery> = {}, origin = ""): Promise<void> {
  // With the same options (backoff, poll interval): the worker keeps the warm-up's engine for the
  // device, and an engine on other timings would make site-config fail and recover on its own.
  await page.goto(origin + appUrl({ ...query, server, ids: ["site-config"] }));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.goto(origin + dashboardUrl(server, query));
}
