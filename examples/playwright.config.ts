import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, requireChromium } from "../e2e/support/chromium.js";

/**
 * The example apps' tests (`npm run test:examples` installs and builds the
 * apps first). Each test serves an app's build and starts its own
 * `npx pubcache-server` on free ports, so there is no web server here.
 */
const CHROMIUM = requireChromium();

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.e2e\.ts$/,
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  // Generous: the machine is shared; nothing here asserts on speed.
  expect: { timeout: 20_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // Apart from the main suite's test-results/.
  outputDir: "../test-results/examples",
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] },
    trace: "retain-on-failure",
  },
});
