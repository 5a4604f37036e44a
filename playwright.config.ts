import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests: Debian's Chromium (Playwright cannot download browsers
 * here), the built app served by `vite preview`, and a real development
 * server per test. `npm run test:e2e` builds first.
 */
const CHROMIUM = process.env.PUBCACHE_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  // Fail, never skip: a green run without a browser would prove nothing.
  throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set PUBCACHE_CHROMIUM`);
}
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
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
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
