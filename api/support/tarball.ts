import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * `npm pack` of the repository (its `prepack` builds lib/ first) into
 * `destination` (default: a new temp folder), renamed to `fileName` when
 * given. Resolves to the tarball's path.
 */
export async function packPackage(repo: string, destination?: string, fileName?: string): Promise<string> {
  const folder = destination ?? (await mkdtemp(join(tmpdir(), "pubcache-pack-")));
  await mkdir(folder, { recursive: true });
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", folder], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  // npm prints the prepack script's output before the JSON.
  const packed = JSON.parse(stdout.slice(stdout.indexOf("[\n"))) as Array<{ filename: string }>;
  const made = join(folder, packed[0]!.filename);
  if (!fileName) return made;
  const renamed = join(folder, fileName);
  await rename(made, renamed);
  return renamed;
}

/** The paths in a tarball, without npm's `package/` prefix. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", tarball], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split("\n")
    .filter((line) => line !== "" && !line.endsWith("/"))
    .map((line) => line.replace(/^package\//, ""));
}

/** What may ship: the built library and npm's own files. */
const SHIPPED = /^(lib\/.+\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/;
/** What must never ship, wherever it hides. */
const NEVER = /(\.spec\.|\/testing\/|(^|\/)(bench|e2e|examples|\.ci|api|proto|public|src|test-results)\/|\.tsbuildinfo$|\.map$)/;

/** Files of the tarball that are not the library (tests, fakes, benchmarks, CI, sources, maps); empty when clean. */
export function unwantedFiles(files: readonly string[]): string[] {
  return files.filter((file) => !SHIPPED.test(file) || NEVER.test(file));
}
