import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, requireChromium } from "./e2e/support/chromium.js";

/**
 * End-to-end tests: Debian's Chromium (Playwright cannot download browsers
 * here), the built app served by `vite preview`, and a real development
 * server per test. `npm run test:e2e` builds first.
 */
// Fail, never skip: a green run without a browser would prove nothing.
const CHROMIUM = requireChromium();
const PREVIEW_PORT = Number(process.env.PUBCACHE_PREVIEW_PORT ?? 4317);

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.e2e\.ts$/,
  // Two cores: two tests at a time, each with its own server and browser context.
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  // Generous: the machine is shared; nothing here asserts on speed.
  expect: { timeout: 20_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PREVIEW_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    // dist/ is built by `npm run test:e2e` before Playwright starts.
    command: `node node_modules/vite/bin/vite.js preview --port ${PREVIEW_PORT} --strictPort`,
    url: `http://localhost:${PREVIEW_PORT}/`,
    // Locally a preview already serving dist/ (another run) is reused; CI starts its own.
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
