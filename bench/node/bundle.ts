import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { buildExampleWorker, ensureExamplesInstalled } from "../../examples/support/workspace.js";
import type { Figures } from "../support/env.js";
import { buildPlainApp, OUT, REPO } from "../support/builds.js";

/** gzip at zlib's default level (6), as web servers commonly serve. */
const gzBytes = (bytes: Uint8Array | string) => gzipSync(bytes).byteLength;

interface OutputChunk {
  type: "chunk" | "asset";
  fileName: string;
  code?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  facadeModuleId?: string | null;
  imports?: string[];
  modules?: Record<string, { renderedLength: number }>;
}

/**
 * Bundle sizes, gzipped:
 * - the page client: src/entries/index.ts bundled alone (a Vite production
 *   build with that module as its entry, minified as the app is, every
 *   dependency inlined), i.e. what a dashboard adds to its page — the test
 *   page's own code is not counted. Counted: the entry chunk
 *   and the chunks it imports statically, what every page loads before it
 *   can show a value. Chunks loaded with `import()` are reported apart, in
 *   two sums: those every page fetches after it started (the worker's
 *   registration, after the window's load event; the table that validates
 *   the host's reports and what a tab takes from them, at the first report)
 *   and the rest (the leader
 *   election and the leader-tab host, fetched only by a page no worker
 *   controls);
 * - the worker: sw.js of a plain build of the app (the project's Vite
 *   config, as `npm run build` makes it, into bench/.out/plain);
 * - an embedder's worker: sw.js of the example app examples/vite-vue, built
 *   by its own `vite build` with `pubcache-web/vite` from the packed package
 *   (installed outside the repository, re-packed first when the sources are
 *   newer than the tarball), into bench/.out/example-vite-vue. Its worker
 *   script is the one-line `precacheAndHost()`, so it should weigh what ours
 *   does; a gap means the package builds differently from this repository;
 * - workbox-window's production module from node_modules, for scale.
 *
 * Also reports what the client bundle is made of (bytes each source area
 * contributes after tree-shaking, before minifying), to show where its size comes from.
 */
export async function bundleSizes(log: (line: string) => void): Promise<Figures> {
  const appDir = await buildPlainApp();
  const output = await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      target: "es2022",
      minify: true,
      modulePreload: false,
      rollupOptions: { input: join(REPO, "src/entries/index.ts"), preserveEntrySignatures: "exports-only" },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Array<{ output: OutputChunk[] }>;
  const chunks = outputs.flatMap((o) => o.output).filter((o) => o.type === "chunk");
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initial = new Set<OutputChunk>();
  const load = (chunk: OutputChunk | undefined) => {
    if (!chunk || initial.has(chunk)) return;
    initial.add(chunk);
    for (const name of chunk.imports ?? []) load(byName.get(name));
  };
  for (const chunk of chunks) if (chunk.isEntry) load(chunk);
  // What every page fetches after it started: these dynamic entries and what they import that the first load has not.
  const deferred = new Set<OutputChunk>();
  const defer = (chunk: OutputChunk | undefined) => {
    if (!chunk || initial.has(chunk) || deferred.has(chunk)) return;
    deferred.add(chunk);
    for (const name of chunk.imports ?? []) defer(byName.get(name));
  };
  for (const chunk of chunks) if (chunk.isDynamicEntry && EVERY_PAGE_LATER.test(chunk.facadeModuleId ?? "")) defer(chunk);
  const lazy = chunks.filter((chunk) => !initial.has(chunk) && !deferred.has(chunk));
  const clientCode = [...initial].map((chunk) => chunk.code ?? "").join("\n");
  const deferredCode = [...deferred].map((chunk) => chunk.code ?? "").join("\n");
  const lazyCode = lazy.map((chunk) => chunk.code ?? "").join("\n");
  const composition = new Map<string, number>();
  for (const chunk of initial) {
    for (const [id, info] of Object.entries(chunk.modules ?? {})) {
      const area = sourceArea(id);
      composition.set(area, (composition.get(area) ?? 0) + info.renderedLength);
    }
  }
  const parts = [...composition].sort((a, b) => b[1] - a[1]).map(([area, bytes]) => `${area} ${(bytes / 1024).toFixed(1)} kB`);
  log(`bundle: client composition (after tree-shaking, before minifying): ${parts.join(", ")}`);
  log(`bundle: client's first load: ${initial.size} chunk(s), ${(gzBytes(clientCode) / 1000).toFixed(2)} kB gzipped`);
  log(`bundle: fetched by every page after it started (worker registration, host reports): ${deferred.size} chunk(s), ${(gzBytes(deferredCode) / 1000).toFixed(1)} kB gzipped`);
  log(`bundle: loaded on demand (leader election, leader-tab host): ${lazy.length} chunk(s), ${(gzBytes(lazyCode) / 1000).toFixed(1)} kB gzipped`);

  const worker = await readFile(join(appDir, "sw.js"));
  await ensureExamplesInstalled(log);
  const exampleWorker = await readFile(await buildExampleWorker("vite-vue", join(OUT, "example-vite-vue"), log));
  const workboxWindow = await readFile(join(REPO, "node_modules/workbox-window/build/workbox-window.prod.mjs"));
  return {
    "bundle.clientGzBytes": gzBytes(clientCode),
    "bundle.workerGzBytes": gzBytes(worker),
    "bundle.exampleWorkerGzBytes": gzBytes(exampleWorker),
    "bundle.workboxWindowGzBytes": gzBytes(workboxWindow),
    "bundle.clientLazyGzBytes": gzBytes(lazyCode),
    "bundle.clientDeferredGzBytes": gzBytes(deferredCode),
    "bundle.clientBytes": Buffer.byteLength(clientCode),
    "bundle.workerBytes": worker.byteLength,
  };
}

/** The dynamic entries every page loads soon after it started (see bundleSizes). */
const EVERY_PAGE_LATER = /\/src\/client\/(keep-worker-registered|host-report-inbox)\.ts$/;

/** Groups a module id into a readable area: an npm package or a src/ folder. */
function sourceArea(id: string): string {
  const cleaned = id.replace(/\?.*$/, "").replace(/^\0/, "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(cleaned);
  if (pkg?.[1]) return pkg[1];
  const src = /\/src\/([^/]+(?:\/[^/]+)?)\//.exec(cleaned);
  if (src?.[1]) return `src/${src[1]}`;
  const file = /\/src\/([^/]+)/.exec(cleaned);
  return file?.[1] ? `src/${file[1]}` : cleaned;
}
