import { basename, dirname } from "node:path";
import type { Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { binaryOnlyConnect } from "./binary-only-connect.js";
import { protobufLite } from "./protobuf-lite.js";

/** Options of {@link pubcacheWorker}. */
export interface PubCacheWorkerOptions {
  /**
   * The worker's source file, relative to the Vite root (or absolute).
   * It is built to the root of the output directory under the same name
   * with `.js`: `"src/sw.ts"` becomes `/sw.js`, the page client's default
   * `serviceWorker`. Default `"src/sw.ts"`.
   */
  readonly src?: string;
  /**
   * Files of the build to precache, as globs relative to the output
   * directory. Default every `html`, `js`, `css`, `svg`, `png`, `ico`,
   * `webmanifest` and `json` file: the app shell and its icons, so the app
   * boots offline. Each one is downloaded by every kiosk at install.
   */
  readonly globPatterns?: readonly string[];
  /** Files larger than this are left out of the precache (and Vite warns). Default 2 MiB, Workbox's. */
  readonly maximumFileSizeToCacheInBytes?: number;
  /**
   * Leave protobuf-es's JSON serialisation out of the worker
   * ({@link binaryOnlyConnect}; ≈ 5 kB gzipped). Turn it off only if your
   * own worker code calls a server in the JSON format. Default `true`.
   */
  readonly binaryOnly?: boolean;
  /**
   * Build the worker with pubcache-web's small protobuf runtime in place of
   * protobuf-es's reflection and descriptor runtime ({@link protobufLite};
   * ≈ 15 kB gzipped). It implements what the cache's engines and Connect's
   * gRPC-Web client use of protobuf-es; the build fails if other code in
   * your worker needs more (protobuf-es's registry, reflection, JSON):
   * then turn it off. Default `true`.
   */
  readonly liteProtobuf?: boolean;
  /** More Vite plugins for the worker's build (it does not run the app's plugins). Default none. */
  readonly plugins?: readonly Plugin[];
}

const DEFAULT_GLOBS = ["**/*.{html,js,css,svg,png,ico,webmanifest,json}"];

/**
 * Builds your service worker the way the cache needs it, after the app's own
 * build: one classic script (an IIFE: module workers are recent in Firefox
 * and Safari), every dependency inlined, the precache manifest of this build
 * injected at `self.__WB_MANIFEST` (what `precacheAndHost()` precaches), and
 * the binary-only protobuf trim and the lite protobuf runtime. It is vite-plugin-pwa's `injectManifest`
 * strategy, configured so that it registers nothing (the page client
 * registers the worker) and writes no web app manifest of its own.
 *
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from "vite";
 * import { pubcacheWorker } from "pubcache-web/vite";
 * export default defineConfig({ plugins: [pubcacheWorker({ src: "src/sw.ts" })] });
 * ```
 *
 * `vite build` only: the development server (`vite`) serves no worker, and
 * the page client then hosts the cache in one tab instead.
 */
export function pubcacheWorker(options: PubCacheWorkerOptions = {}): Plugin[] {
  const src = options.src ?? "src/sw.ts";
  const plugins = [
    ...(options.liteProtobuf === false ? [] : [protobufLite()]),
    ...(options.binaryOnly === false ? [] : [binaryOnlyConnect()]),
    ...(options.plugins ?? []),
  ];
  return VitePWA({
    strategies: "injectManifest",
    srcDir: dirname(src),
    filename: basename(src),
    // The page client registers the worker itself (through workbox-window).
    injectRegister: false,
    manifest: false,
    injectManifest: {
      rollupFormat: "iife",
      buildPlugins: { vite: plugins },
      globPatterns: [...(options.globPatterns ?? DEFAULT_GLOBS)],
      ...(options.maximumFileSizeToCacheInBytes !== undefined && { maximumFileSizeToCacheInBytes: options.maximumFileSizeToCacheInBytes }),
    },
    devOptions: { enabled: false },
  });
}
