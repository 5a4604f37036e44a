import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build, two outputs in `dist/`:
 * - the page (src/app/index.html and the client it imports), an ES module app;
 * - the service worker (src/sw/sw.ts) as a classic IIFE script — module
 *   workers are recent in Firefox/Safari, so the portable choice is classic —
 *   with Workbox's precache manifest injected at `self.__WB_MANIFEST`.
 *
 * vite-plugin-pwa runs the worker build after the page build, so the
 * manifest lists the page's hashed assets.
 */
export default defineConfig({
  root: here("src/app"),
  publicDir: here("public"),
  base: "./",
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
  },
  preview: {
    host: "localhost",
    strictPort: true,
  },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: here("src/sw"),
      filename: "sw.ts",
      // We register ourselves through workbox-window in src/client/.
      injectRegister: false,
      manifest: false,
      injectManifest: {
        rollupFormat: "iife",
        buildPlugins: { vite: [binaryOnlyConnect()] },
        globPatterns: ["**/*.{html,js,css,svg,png,ico,webmanifest,json}"],
      },
      devOptions: { enabled: false },
    }),
  ],
});

/**
 * Leaves protobuf-es's JSON serialisation out of the worker (≈ 3 kB of its
 * 45 kB gzipped). The engines speak gRPC-web in the binary format only, but
 * connect's `createClientMethodSerializers` picks binary or JSON at run time
 * (`useBinaryFormat`), so a bundler keeps both. This hands connect's
 * serialization module `fromBinary`/`toBinary` as they are and, for the JSON
 * pair, functions that throw: the binary path runs exactly the same code.
 *
 * If connect moves that module the plugin matches nothing and the worker
 * just keeps the JSON code (bigger, still correct); the bundle benchmark
 * (`npm run bench -- --only bundle`) shows it.
 */
function binaryOnlyConnect(): Plugin {
  const shim = "\0pubcache:protobuf-binary-only";
  return {
    name: "pubcache:binary-only-connect",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "@bufbuild/protobuf" && importer && /@connectrpc\/connect\/dist\/esm\/protocol\/serialization\.js$/.test(importer)) return shim;
      return undefined;
    },
    load(id) {
      if (id !== shim) return undefined;
      return [
        'export { fromBinary, toBinary } from "@bufbuild/protobuf";',
        "export function fromJsonString() { throw new Error(\"pubcache: this worker speaks the binary format only (no JSON serialisation)\"); }",
        "export const toJsonString = fromJsonString;",
      ].join("\n");
    },
  };
}
