/**
 * `npm run test:cross-browser` (part of `npm test`): the main flows
 * (flows.ts) in WebKit (WebKitGTK) and Gecko (Firefox ESR), against the
 * built app (dist/, `npm run build`) and a real development server per flow.
 * Node's test runner reports every flow per engine and exits non-zero when
 * one fails. A missing browser, X server or build fails the suite: never a
 * skip (as playwright.config.ts does for Chromium).
 *
 * Arguments: engine names to run only those (`webkit`, `gecko`).
 */
import { existsSync } from "node:fs";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DevServer } from "../support/dev-server.js";
import { StaticCopy } from "../support/static-server.js";
import type { BrowserEngine } from "./browser-session.js";
import { FLOWS } from "./flows.js";
import { geckoEngine } from "./gecko-session.js";
import { webkitEngine } from "./webkit-session.js";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));
/** Generous: the machine is shared and WebKit under Xvfb is slow to start; nothing here asserts on speed. */
const FLOW_TIMEOUT_MS = 120_000;

const engines = [webkitEngine(), geckoEngine()];
const only = process.argv.slice(2).map((name) => name.toLowerCase());
const unknown = only.filter((name) => !engines.some((engine) => engine.name.toLowerCase() === name));
if (unknown.length > 0) throw new Error(`unknown engine ${unknown.join(", ")}: choose from ${engines.map((e) => e.name.toLowerCase()).join(", ")}`);

function requireBuild(): void {
  for (const file of ["index.html", "sw.js"]) {
    if (!existsSync(DIST + file)) throw new Error(`${DIST}${file} not found: run \`npm run build\` first (npm run test:cross-browser does)`);
  }
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
        try {
          const session = await engine.launch();
          t.diagnostic(session.version);
          try {
            await flow.run({ session, server, app });
          } finally {
            await session.close();
          }
        } finally {
          await app.dispose();
          await server.dispose();
        }
      });
    }
  });
}

for (const engine of engines) {
  if (only.length === 0 || only.includes(engine.name.toLowerCase())) suite(engine);
}
