import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The core must run unchanged under fake time in Node, in a service worker
 * and in a page: time, randomness and I/O come in through interfaces only.
 * Test support (`testing/`) and specs run in Node only and are exempt.
 */
const FORBIDDEN = [
  "self",
  "window",
  "navigator",
  "indexedDB",
  "BroadcastChannel",
  "fetch",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "Date.now",
  "new Date",
  "Math.random",
  "performance",
  "localStorage",
  "document",
  "globalThis",
];

const coreDir = fileURLToPath(new URL(".", import.meta.url));

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : productionFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".spec.ts") ? [path] : [];
  });
}

/** Source without comments and string literals, so prose like "fetch" in a comment does not count. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
}

function usesOf(source: string, name: string): boolean {
  const escaped = name.replace(/\./g, "\\s*\\.\\s*");
  // A global use, not a property (`.fetch`) or part of a longer name (`prefetch`).
  return new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`).test(code(source));
}

describe("src/core purity", () => {
  const files = productionFiles(coreDir);

  it("finds the core's source files", () => {
    expect(files.map((f) => relative(coreDir, f))).toContain("publication-cache.ts");
  });

  it.each(FORBIDDEN)("no production file uses %s", (name) => {
    const offenders = files.filter((file) => usesOf(readFileSync(file, "utf8"), name)).map((f) => relative(coreDir, f));
    expect(offenders).toEqual([]);
  });

  it("the detector catches a use and ignores comments, strings and properties", () => {
    expect(usesOf("const t = setTimeout(f, 1);", "setTimeout")).toBe(true);
    expect(usesOf("const n = Date . now();", "Date.now")).toBe(true);
    expect(usesOf("// setTimeout is banned\nconst x = 'fetch';", "setTimeout")).toBe(false);
    expect(usesOf("const x = 'fetch';", "fetch")).toBe(false);
    expect(usesOf("client.fetch(); prefetch();", "fetch")).toBe(false);
  });
});
