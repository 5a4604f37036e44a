/**
 * `npm run bench [-- --json <file>] [-- --smoke] [-- --only <name,...>]`
 *
 * Builds the app and the bench pages, starts real development servers and
 * Debian's Chromium, runs the benchmarks with their baselines in the
 * same run, and prints one table with PASS/MISS beside each target.
 * `--smoke` (what CI runs): few iterations and tiny sizes, no targets, the
 * Node benchmarks beside the browser ones. Missing a target never fails
 * the run; a benchmark that crashes does (exit code 1).
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "@playwright/test";
import { coldStart } from "./browser/cold-start.js";
import { fanOut } from "./browser/fanout.js";
import { httpsFirstVisit } from "./browser/https-first-visit.js";
import { httpsLatency } from "./browser/https-latency.js";
import { httpsPageFetch } from "./browser/https-page-fetch.js";
import { largeJson } from "./browser/large-json.js";
import { latency } from "./browser/latency.js";
import { storage } from "./browser/storage.js";
import { workerMemory } from "./browser/worker-memory.js";
import { bundleSizes } from "./node/bundle.js";
import { NODE_BENCHMARKS } from "./node/node-benchmarks.js";
import { renderValuePath, valuePath } from "./node/value-path-bench.js";
import { buildBenchApp, buildBenchPages, REPO, serveBuilt, type StaticServer } from "./support/builds.js";
import { launchChromium } from "./support/chromium.js";
import type { BrowserEnv, Figures } from "./support/env.js";
import { describeMachine } from "./support/machine.js";
import { renderTable, ROWS, verdicts } from "./support/report.js";

const BENCHMARKS = [
  "fanout",
  "latency",
  "coldStart",
  "storage",
  "render",
  "bundle",
  "herd",
  "memory",
  "workerMemory",
  "connect",
  "server",
  "httpsLatency",
  "httpsFirstVisit",
  "httpsPageFetch",
  "valuePath",
  "poll",
  "connectDistinct",
] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    json: { type: "string" },
    only: { type: "string" },
  },
  strict: true,
});
const smoke = values.smoke ?? false;
const only = new Set((values.only?.split(",") ?? BENCHMARKS).map((name) => name.trim()));
for (const name of only) {
  if (!(BENCHMARKS as readonly string[]).includes(name)) throw new Error(`unknown benchmark ${name}; known: ${BENCHMARKS.join(", ")}`);
}
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const figures: Figures = {};
const errors: Record<string, string> = {};
const seconds: Record<string, number> = {};

async function step(name: BenchmarkName, work: () => Promise<Figures>): Promise<void> {
  if (!only.has(name)) return;
  const started = performance.now();
  log(`${name}…`);
  try {
    Object.assign(figures, await work());
  } catch (error) {
    errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name} CRASHED: ${errors[name]}`);
  } finally {
    seconds[name] = Math.round((performance.now() - started) / 100) / 10;
  }
}

/** Runs a bench/node script in its own process (so its heap and event loop are its own) and parses its JSON. */
async function runNodeScript<T>(script: string, extra: readonly string[] = []): Promise<T> {
  const args = ["--expose-gc", "--import", "tsx", join(REPO, script), ...(smoke ? ["--smoke"] : []), ...extra];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

const totalStart = performance.now();
let browser: Browser | undefined;
const servers: StaticServer[] = [];
let chromium = "not started";
try {
  log(`building the app and the bench pages (${smoke ? "smoke" : "full"} run)`);
  const appDir = await buildBenchApp();
  const pagesDir = await buildBenchPages();

  await step("bundle", () => bundleSizes(log));

  // The Node benchmarks, one after the other. A smoke run judges nothing, so
  // there they run beside the browser ones to keep CI quick; a full run
  // runs them after, alone, so they do not measure each other.
  const nodeChain = async () => {
    for (const name of ["memory", "herd", "connect", "server", "poll", "connectDistinct"] as const) {
      await step(name, () => NODE_BENCHMARKS[name](runNodeScript, log));
    }
  };
  const nodeRun = smoke ? nodeChain() : undefined;

  const browserBenchmarks: Array<[BenchmarkName, (env: BrowserEnv) => Promise<Figures>]> = [
    ["fanout", fanOut],
    ["latency", latency],
    ["coldStart", coldStart],
    ["storage", storage],
    ["render", largeJson],
    ["workerMemory", workerMemory],
    // HTTPS/h2 against plain HTTP/1.1: each launches its own Chromium, one that trusts the site's CA.
    ["httpsLatency", httpsLatency],
    ["httpsFirstVisit", httpsFirstVisit],
    ["httpsPageFetch", httpsPageFetch],
  ];
  if (browserBenchmarks.some(([name]) => only.has(name))) {
    try {
      const app = await serveBuilt(appDir);
      servers.push(app);
      const pages = await serveBuilt(pagesDir);
      servers.push(pages);
      browser = await launchChromium();
      chromium = browser.version();
      const env: BrowserEnv = { browser, appOrigin: app.url, appDir, pagesOrigin: pages.url, smoke, log };
      for (const [name, run] of browserBenchmarks) await step(name, () => run(env));
    } catch (error) {
      // No browser: every browser benchmark crashed; the Node ones still run.
      for (const [name] of browserBenchmarks) if (only.has(name)) errors[name] ??= `browser set-up failed: ${String(error)}`;
      log(`browser set-up CRASHED: ${String(error)}`);
    } finally {
      await browser?.close().catch(() => {});
      browser = undefined;
    }
  }
  await (nodeRun ?? nodeChain());
  await step("valuePath", () => valuePath(runNodeScript, log));
} catch (error) {
  errors.setup = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`set-up CRASHED: ${errors.setup}`);
} finally {
  await browser?.close().catch(() => {});
  for (const server of servers) await server.close().catch(() => {});
}

const machine = describeMachine(chromium);
const totalSeconds = Math.round((performance.now() - totalStart) / 1000);
const ran = (name: string) => only.has(name);
const marks = verdicts(figures, smoke, ran);
console.log("");
console.log(
  `pubcache-web benchmarks${smoke ? " (smoke: few iterations, targets not judged)" : ""} — ` +
    `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, Chromium ${machine.chromium}, ` +
    `${new Date().toISOString().slice(0, 10)}, ${totalSeconds} s`,
);
console.log("");
console.log(renderTable(figures, smoke, ran));
console.log("");
if (ran("valuePath")) console.log(`${renderValuePath(figures, smoke)}\n`);
if (values.json) {
  const targets = Object.fromEntries(ROWS.map((row, i) => [row.benchmark, marks[i]]));
  await writeFile(values.json, `${JSON.stringify({ date: new Date().toISOString(), smoke, machine, seconds, figures, targets, errors }, null, 2)}\n`);
  log(`figures written to ${values.json}`);
}
const crashed = Object.keys(errors);
if (crashed.length > 0) {
  console.error(`benchmarks crashed: ${crashed.join(", ")}`);
  process.exit(1);
}
// Nothing left to wait for; do not let a stray handle keep the process up.
process.exit(0);
