import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

interface CruiseResult {
  modules: Array<{ source: string; dependencies: Array<{ module: string; dependencyTypes: string[] }> }>;
  summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> };
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * The dependency rules of the built package (api/lib-dependencies.cjs, by
 * dependency-cruiser on lib/), plus the one it cannot express: every entry of
 * `dependencies` is imported by lib/ (an embedder installs each of them).
 * Resolves to the problems; empty when none.
 */
export async function libDependencyProblems(repo: string): Promise<string[]> {
  const { stdout } = await run(
    process.execPath,
    [join(repo, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "lib", "--config", "api/lib-dependencies.cjs", "--output-type", "json"],
    { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const result = JSON.parse(stdout) as CruiseResult;
  const problems = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  const used = new Set<string>();
  for (const module of result.modules) {
    for (const dependency of module.dependencies) {
      if (!dependency.dependencyTypes.includes("core")) used.add(packageName(dependency.module));
    }
  }
  const manifest = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) {
    if (!used.has(name)) problems.push(`"${name}" is in dependencies but lib/ never imports it: make it a devDependency`);
  }
  return problems;
}
