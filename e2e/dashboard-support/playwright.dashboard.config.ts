import base from "../../playwright.config.js";
import { defineConfig } from "@playwright/test";

/**
 * The dashboard tests alone, against a build of their own, so they can run
 * while other suites rebuild `dist/`:
 *
 *   npx vite build --outDir /tmp/pubcache-dashboard-dist --emptyOutDir
 *   npx playwright test -c e2e/dashboard-support/playwright.dashboard.config.ts
 *
 * `npm run test:e2e` runs the same tests with the main configuration.
 */
const OUT_DIR = process.env.PUBCACHE_DASHBOARD_DIST ?? "/tmp/pubcache-dashboard-dist";
const PORT = Number(process.env.PUBCACHE_DASHBOARD_PORT ?? 4417);

export default defineConfig({
  ...base,
  testDir: "..",
  testMatch: /dashboard.*\.e2e\.ts$/,
  // Apart from test-results/, which every other run wipes.
  outputDir: process.env.PUBCACHE_DASHBOARD_RESULTS ?? "/tmp/pubcache-dashboard-results",
  use: { ...base.use, baseURL: `http://localhost:${PORT}` },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --outDir ${OUT_DIR} --port ${PORT} --strictPort`,
    cwd: "../..",
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
