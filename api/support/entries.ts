import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One entry module of the package and the subpath of `exports` that serves it. */
export interface PackageEntry {
  /** The file name without extension in src/entries/ (and lib/entries/): `index`, `storage-node`, … */
  readonly name: string;
  /** Its subpath in package.json's `exports`: `.`, `./storage/node`, … */
  readonly subpath: string;
}

/** `index` is the package root; `storage-node` is `./storage/node`; any other name is `./<name>`. */
export function subpathOf(name: string): string {
  if (name === "index") return ".";
  return `./${name.replace(/-(?=node$)/, "/")}`;
}

/** Every entry module in src/entries/ (not specs, not declarations), with its subpath. */
export async function packageEntries(repo: string): Promise<PackageEntry[]> {
  const files = await readdir(join(repo, "src/entries"));
  return files
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.endsWith(".spec.ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort()
    .map((name) => ({ name, subpath: subpathOf(name) }));
}

type ExportTarget = { readonly types?: string; readonly default?: string } | string;

/**
 * Problems between the entry modules and package.json's `exports`: an entry
 * with no subpath (e.g. a new `src/entries/auth.ts` merged without its
 * `./auth` line), a subpath with no entry, or a subpath that points
 * elsewhere than the entry's built `.js` and `.d.ts`. Empty when they agree.
 */
export async function entryProblems(repo: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { exports: Record<string, ExportTarget> };
  const entries = await packageEntries(repo);
  const problems: string[] = [];
  for (const { name, subpath } of entries) {
    const target = manifest.exports[subpath];
    const expected = { types: `./lib/entries/${name}.d.ts`, default: `./lib/entries/${name}.js` };
    if (target === undefined) {
      problems.push(`src/entries/${name}.ts has no "${subpath}" in package.json "exports": add "${subpath}": ${JSON.stringify(expected)}`);
    } else if (typeof target === "string" || target.types !== expected.types || target.default !== expected.default) {
      problems.push(`package.json "exports" "${subpath}" must be ${JSON.stringify(expected)}, is ${JSON.stringify(target)}`);
    }
  }
  const served = new Set(entries.map((entry) => entry.subpath));
  for (const subpath of Object.keys(manifest.exports)) {
    if (subpath !== "./package.json" && !served.has(subpath)) problems.push(`package.json "exports" "${subpath}" has no entry module in src/entries/`);
  }
  return problems;
}
