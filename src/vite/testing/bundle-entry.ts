import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin, type Rollup } from "vite";

export const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/** Bundles an entry module's source (everything inlined, as the worker build does, not minified) with the given plugins. */
export async function bundleEntry(source: string, plugins: Plugin[]): Promise<Rollup.OutputChunk> {
  const entry: Plugin = {
    name: "entry",
    resolveId: (id) => (id === "virtual:entry" ? "\0entry" : null),
    load: (id) => (id === "\0entry" ? source : null),
  };
  const output = (await build({
    configFile: false,
    root: REPO,
    logLevel: "silent",
    plugins: [entry, ...plugins],
    build: { write: false, minify: false, rollupOptions: { input: "virtual:entry", preserveEntrySignatures: "strict", output: { format: "es" } } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  return (Array.isArray(output) ? output[0]! : output).output.find((item): item is Rollup.OutputChunk => item.type === "chunk")!;
}

/** A folder for bundles to import from, removed by `dispose`. */
export async function bundleFolder(prefix: string) {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  let count = 0;
  return {
    /** Writes the bundle to a file and imports it. */
    async importChunk<T>(chunk: Rollup.OutputChunk): Promise<T> {
      const file = join(folder, `bundle-${++count}.mjs`);
      await writeFile(file, chunk.code);
      return (await import(pathToFileURL(file).href)) as T;
    },
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
