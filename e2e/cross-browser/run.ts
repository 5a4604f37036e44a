/**
 * `npm run test:cross-browser` (part of `npm test`): the main flows
 * (flows.ts) in WebKit (WebKitGTK) and Gecko (Firefox ESR), against the
 * built app (dist/, `npm run build`) and a real development server per flow;
 * then the kiosk-tablet flows over HTTPS (kiosk-flows.ts) against
 * `npm start -- --tls --name kiosk.test`, a site and a tablet per flow.
 * Node's test runner reports every flow per engine (with each step's time)
 * and exits non-zero when one fails. A missing browser, X server or build
 * fails every flow of that engine with what to install: never a skip (as
 * playwright.config.ts does for Chromium).
 *
 * Arguments: engine names to run only those (`webkit`, `gecko`).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DevServer } from "../support/dev-server.js";
import { KIOSK_NAME, KioskSite } from "../support/kiosk-site.js";
import { StaticCopy } from "../support/static-server.js";
import type { BrowserEngine } from "./browser-session.js";
import { FLOWS } from "./flows.js";
import { geckoEngine } from "./gecko-session.js";
import { KIOSK_FLOWS } from "./kiosk-flows.js";
import { webkitEngine } from "./webkit-session.js";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));
/** Generous: the machine is shared and WebKit under Xvfb is slow to start; nothing here asserts on speed. */
const FLOW_TIMEOUT_MS = 120_000;

// Interrupted: exit through 'exit', where Xvfb and WebKitWebDriver are killed (a signal's default skips it).
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

const engines = [webkitEngine(), geckoEngine()];
const only = process.argv.slice(2).map((name) => name.toLowerCase());
const unknown = only.filter((name) => !engines.some((engine) => engine.name.toLowerCase() === name));
if (unknown.length > 0) throw new Error(`unknown engine ${unknown.join(", ")}: choose from ${engines.map((e) => e.name.toLowerCase()).join(", ")}`);

function requireBuild(): void {
  for (const file of ["index.html", "sw.js"]) {
    if (!existsSync(DIST + file)) throw new Error(`${DIST}${file} not found: run \`npm run build\` first (npm run test:cross-browser does)`);
  }
}

/** A flow's steps: a failure names its step; each step that passes is reported with its time (for slow runs, not asserted). */
function timedStep(report: (message: string) => void) {
  return async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await run();
      report(`${name} (${Math.round(performance.now() - started)} ms)`);
      return result;
    } catch (error) {
      throw new Error(`step "${name}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
}

function suite(engine: BrowserEngine): void {
  // Started by the first flow and shared; when anything is missing, every flow fails with what to install.
  let started: Promise<void> | undefined;
  const start = () =>
    (started ??= (async () => {
      requireBuild();
      await engine.start();
    })());
  void describe(engine.name, () => {
    after(() => engine.stop());
    for (const flow of FLOWS) {
      void it(flow.name, { timeout: FLOW_TIMEOUT_MS }, async (t) => {
        await start();
        // Each flow from nothing: its own server, its own app origin, a fresh profile.
        const server = await DevServer.start();
        const app = await StaticCopy.of(DIST);
        // Interrupted mid-flow: the server and the temp dirs must not outlive the run (kill() signals synchronously).
        const cleanUpOnExit = () => {
          void server.kill();
          for (const dir of [server.dataDir, app.dir]) rmSync(dir, { recursive: true, force: true });
        };
        process.once("exit", cleanUpOnExit);
        try {
          const launched = performance.now();
          const session = await engine.launch();
          t.diagnostic(`${session.version}, started in ${Math.round(performance.now() - launched)} ms`);
          try {
            await flow.run({ session, server, app, step: timedStep((message) => t.diagnostic(message)) });
          } finally {
            await session.close();
          }
        } finally {
          await app.dispose();
          await server.dispose();
          process.removeListener("exit", cleanUpOnExit);
        }
      });
    }
    for (const flow of KIOSK_FLOWS) {
      void it(flow.name, { timeout: FLOW_TIMEOUT_MS }, async (t) => {
        await start();
        // Each flow from nothing: its own site (and so its own CA), its own tablet.
        const site = await KioskSite.start();
        const tabletDir = mkdtempSync(join(tmpdir(), `pubcache-${engine.name.toLowerCase()}-tablet-`));
        const cleanUpOnExit = () => {
          void site.kill();
          for (const dir of [site.dataDir, tabletDir]) rmSync(dir, { recursive: true, force: true });
        };
        process.once("exit", cleanUpOnExit);
        try {
          const tablet = await engine.tablet({ dir: tabletDir, caPem: await site.caPem(), names: [KIOSK_NAME] });
          const report = (message: string) => t.diagnostic(message);
          await flow.run({ site, tablet, step: timedStep(report), report });
        } finally {
          await site.dispose();
          // A browser's last processes may still be writing caches as they end.
          rmSync(tabletDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
          process.removeListener("exit", cleanUpOnExit);
        }
      });
    }
  });
}

for (const engine of engines) {
  if (only.length === 0 || only.includes(engine.name.toLowerCase())) suite(engine);
}
