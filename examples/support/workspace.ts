import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packPackage } from "../../api/support/tarball.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const SOURCES = join(REPO, "examples");

/** The example apps (folders of examples/ with their own package.json). */
export const EXAMPLE_APPS = ["vite-vue", "vite-react", "node-kiosk"] as const;
export type ExampleApp = (typeof EXAMPLE_APPS)[number];
/** The apps with a browser page (built by Vite). */
export const BROWSER_APPS = ["vite-vue", "vite-react"] as const satisfies readonly ExampleApp[];

/**
 * Where the examples are installed and built: a folder outside the
 * repository, so that nothing resolves from the repository's own
 * node_modules (Node, tsc and Vite all look in every parent folder) and a
 * missing dependency of an example fails as it would for an embedder. Kept
 * between runs (one per checkout), so npm reuses the installed packages.
 */
export const EXAMPLES_WORK =
  process.env.PUBCACHE_EXAMPLES_WORK ?? join(tmpdir(), `pubcache-web-examples-${createHash("sha256").update(REPO).digest("hex").slice(0, 8)}`);

/** Where progress goes (stdout by default; the benchmarks pass their stderr log). */
export type Log = (line: string) => void;

export interface StepOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Print the command's output in one piece when it ends (so steps can run side by side). */
  readonly buffered?: boolean;
  readonly log?: Log;
}

/** Runs a command; rejects on a non-zero exit. */
export function step(title: string, command: string, args: readonly string[], cwd: string, options: StepOptions = {}): Promise<void> {
  const log = options.log ?? console.log;
  const started = Date.now();
  const heading = `== ${title}: ${command} ${args.join(" ")}`;
  if (!options.buffered) log(heading);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: options.buffered ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...options.env } });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (options.buffered) log(`${heading}\n${output.trimEnd()}`);
      if (code !== 0) return reject(new Error(`${title} failed (exit ${code})`));
      log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve();
    });
  });
}

/**
 * Copies the examples' sources (not node_modules, not builds) to
 * {@link EXAMPLES_WORK}, packs the package into its .pack/pubcache-web.tgz and
 * runs `npm install` there — with the previous copy of the tarball's contents
 * removed first, since the tarball keeps its name from build to build.
 */
export async function installExamples(log: Log = console.log): Promise<void> {
  await mkdir(EXAMPLES_WORK, { recursive: true });
  for (const entry of await readdir(EXAMPLES_WORK)) {
    if (entry !== "node_modules") await rm(join(EXAMPLES_WORK, entry), { recursive: true, force: true });
  }
  await cp(join(SOURCES, "package.json"), join(EXAMPLES_WORK, "package.json"));
  for (const app of EXAMPLE_APPS) {
    await cp(join(SOURCES, app), join(EXAMPLES_WORK, app), {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source.slice(SOURCES.length)),
    });
  }
  const started = Date.now();
  log("== npm pack (builds lib/ first)");
  const tarball = await packPackage(REPO, join(EXAMPLES_WORK, ".pack"), "pubcache-web.tgz");
  log(`   ${tarball} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await rm(join(EXAMPLES_WORK, "node_modules/pubcache-web"), { recursive: true, force: true });
  await step("install the examples", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"], EXAMPLES_WORK, {
    log,
    buffered: log !== console.log,
  });
}

/** The tarball the examples are installed from. */
export const EXAMPLES_TARBALL = join(EXAMPLES_WORK, ".pack/pubcache-web.tgz");

/** The newest modification time (ms) of the files under `path`. */
async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestChange(join(path, entry)));
  return newest;
}

/**
 * Installs the examples unless their tarball is newer than every source of
 * the package (src/, package.json, tsconfig.lib.json) and the examples'
 * own sources — so a measurement never uses a stale package.
 */
export async function ensureExamplesInstalled(log: Log = console.log): Promise<void> {
  const packed = await stat(EXAMPLES_TARBALL).then((info) => info.mtimeMs, () => 0);
  const sources = ["src", "package.json", "tsconfig.lib.json", ...EXAMPLE_APPS.map((app) => `examples/${app}`)];
  const changed = Math.max(...(await Promise.all(sources.map((source) => newestChange(join(REPO, source))))));
  if (packed > changed) return log(`examples: installed from ${EXAMPLES_TARBALL}, newer than the sources`);
  await installExamples(log);
}

/** `npm run build` of one example in {@link EXAMPLES_WORK}: its type checks, then its build. */
export function buildExample(app: ExampleApp, buffered = false): Promise<void> {
  return step(`build ${app}`, "npm", ["run", "build"], join(EXAMPLES_WORK, app), { buffered });
}

/**
 * The service worker of an example app as its own `vite build` makes it
 * (no type checks), into `outDir`; resolves to the worker's path.
 */
export async function buildExampleWorker(app: (typeof BROWSER_APPS)[number], outDir: string, log: Log = console.log): Promise<string> {
  const vite = join(EXAMPLES_WORK, "node_modules/vite/bin/vite.js");
  await step(`vite build of ${app}`, process.execPath, [vite, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], join(EXAMPLES_WORK, app), {
    log,
    buffered: true,
  });
  return join(outDir, "sw.js");
}
