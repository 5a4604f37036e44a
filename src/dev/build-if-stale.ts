import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { build } from "vite";

/** What goes into the dashboard build; any of it newer than dist/index.html means a rebuild. */
const INPUTS = ["src", "public", "vite.config.ts", "package-lock.json"];

/**
 * Builds the dashboard (`vite build`, the same as `npm run build`) when
 * `dist/` is missing or older than its sources, so `npm start` on a fresh
 * clone needs nothing else. Resolves to whether it built.
 */
export async function buildIfStale(root: string, log: (line: string) => void): Promise<boolean> {
  const built = await mtime(join(root, "dist", "index.html"));
  const swBuilt = await mtime(join(root, "dist", "sw.js"));
  if (built !== undefined && swBuilt !== undefined) {
    let newest = 0;
    for (const input of INPUTS) newest = Math.max(newest, await newestMtime(join(root, input)));
    if (newest <= Math.min(built, swBuilt)) return false;
  }
  log("building the dashboard (vite build)…");
  await build({ configFile: join(root, "vite.config.ts"), logLevel: "warn" });
  return true;
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}
