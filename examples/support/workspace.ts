import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, rm } from "node:fs/promises";
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

/**
 * Runs a command; rejects on a non-zero exit. With `buffered`, its output is
 * printed in one piece when it ends (so steps can run side by side).
 */
export function step(
  title: string,
  command: string,
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; buffered?: boolean } = {},
): Promise<void> {
  const started = Date.now();
  const heading = `== ${title}: ${command} ${args.join(" ")}`;
  if (!options.buffered) console.log(heading);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: options.buffered ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...options.env } });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (options.buffered) console.log(`${heading}\n${output.trimEnd()}`);
      if (code !== 0) return reject(new Error(`${title} failed (exit ${code})`));
      console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
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
export async function installExamples(): Promise<void> {
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
  console.log("== npm pack (builds lib/ first)");
  const tarball = await packPackage(REPO, join(EXAMPLES_WORK, ".pack"), "pubcache-web.tgz");
  console.log(`   ${tarball} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await rm(join(EXAMPLES_WORK, "node_modules/pubcache-web"), { recursive: true, force: true });
  await step("install the examples", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"], EXAMPLES_WORK);
}

/** `npm run build` of one example in {@link EXAMPLES_WORK}: its type checks, then its build. */
export function buildExample(app: ExampleApp, buffered = false): Promise<void> {
  return step(`build ${app}`, "npm", ["run", "build"], join(EXAMPLES_WORK, app), { buffered });
}
