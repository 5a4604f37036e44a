/**
 * `npm run lint:package` — the published package as an embedder gets it:
 *
 * 1. every src/entries/*.ts has its subpath in package.json `exports`, and
 *    every subpath its entry;
 * 2. `npm pack` (which builds lib/ first) holds the built library only — no
 *    tests, fakes, benchmarks, CI files or sources;
 * 3. publint on the tarball;
 * 4. attw (Are the Types Wrong) on the tarball: every subpath resolves to
 *    types and JavaScript under moduleResolution node16 (from ESM) and
 *    bundler. The package is ESM only, so CommonJS `require` and node10
 *    resolution are not checked (profile esm-only);
 * 5. lib/'s imports follow api/lib-dependencies.cjs, and every dependency is used;
 * 6. the API report of each entry (API Extractor on lib/entries/<name>.d.ts)
 *    equals the checked-in api/<name>.api.md, so an export added or changed
 *    by accident shows in review. `npm run api:update` rewrites them.
 *
 * Exits 1 after listing every problem found.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { apiReport } from "./support/api-reports.js";
import { entryProblems, packageEntries } from "./support/entries.js";
import { libDependencyProblems } from "./support/lib-dependencies.js";
import { packPackage, tarballFiles, unwantedFiles } from "./support/tarball.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const update = process.argv.includes("--update-api");
const failures: string[] = [];

function section(title: string, problems: readonly string[]) {
  console.log(`== ${title}: ${problems.length === 0 ? "ok" : `${problems.length} problem(s)`}`);
  for (const problem of problems) console.log(`   ${problem}`);
  failures.push(...problems.map((problem) => `${title}: ${problem}`));
}

section("entries and exports", await entryProblems(REPO));

const tarball = await packPackage(REPO);
const files = await tarballFiles(tarball);
console.log(`   packed ${files.length} files into ${tarball}`);
section("tarball holds only the library", unwantedFiles(files));

const manifest: unknown = JSON.parse(await readFile(join(REPO, "package.json"), "utf8"));
const bytes = await readFile(tarball);
const linted = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: "suggestion", strict: true });
section(
  "publint",
  linted.messages.map((message) => `${message.type}: ${formatMessage(message, manifest as Parameters<typeof formatMessage>[1], { color: false })}`),
);

const attw = await run(
  process.execPath,
  [join(REPO, "node_modules/@arethetypeswrong/cli/dist/index.js"), tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "table-flipped", "--no-color", "--no-emoji"],
  { cwd: REPO, maxBuffer: 16 * 1024 * 1024 },
).then(
  () => [],
  (error: { stdout?: string; stderr?: string }) => [`${error.stdout ?? ""}${error.stderr ?? ""}`.trim()],
);
section("attw (node16 from ESM, bundler)", attw);

section("lib/ dependencies", await libDependencyProblems(REPO));

const reports = (await packageEntries(REPO)).map((entry) => apiReport(REPO, entry, update));
section("API reports (api/*.api.md)", [
  ...reports.flatMap((report) => report.errors.map((error) => `${report.entry.name}: ${error}`)),
  ...reports
    .filter((report) => report.changed && !update)
    .map((report) => `${report.entry.subpath} changed: see lib/.api-temp/${report.entry.name}.api.md; if intended, npm run api:update and commit api/${report.entry.name}.api.md`),
]);
for (const report of reports) for (const warning of report.warnings) console.log(`   warning ${report.entry.name}: ${warning}`);
if (update) console.log(`   reports written: ${reports.filter((report) => report.changed).map((report) => `api/${report.entry.name}.api.md`).join(", ") || "none changed"}`);

if (failures.length > 0) {
  console.error(`\npackage check failed: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log("\npackage check passed");
