/**
 * `npm run test:examples` (part of `npm test`): the package as an embedder
 * gets it, end to end, in a folder outside the repository
 * (support/workspace.ts says why):
 *
 * 1. `npm pack` (its `prepack` builds lib/), then `npm install` of the
 *    example apps, each depending on that tarball (one install for all);
 * 2. each app's `npm run build`: strict type checks with skipLibCheck off
 *    (moduleResolution bundler and node16), then `vite build` with
 *    `pubcache-web/vite` (the Node example: tsc);
 * 3. their tests (examples/e2e: Playwright, Debian's Chromium) against
 *    `npx pubcache-server` from the examples' node_modules.
 *
 * `--no-install` reuses the last install (after changing only an example's
 * sources, run without it: the sources are copied by the install step);
 * `--no-test` stops after the builds.
 */
import { join } from "node:path";
import { EXAMPLES_WORK, REPO, buildExample, installExamples, step } from "./support/workspace.js";

if (!process.argv.includes("--no-install")) await installExamples();
// Two at a time (tsc is single-threaded; CI machines have two cores).
await Promise.all([buildExample("vite-vue", true), buildExample("vite-react", true).then(() => buildExample("node-kiosk", true))]);
if (!process.argv.includes("--no-test")) {
  await step("tests of the examples", process.execPath, [join(REPO, "node_modules/@playwright/test/cli.js"), "test", "-c", "examples/playwright.config.ts"], REPO, {
    env: { PUBCACHE_EXAMPLES_WORK: EXAMPLES_WORK },
  });
}
