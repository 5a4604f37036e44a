import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { pubcacheWorker } from "./src/entries/vite.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build, two outputs in `dist/`:
 * - the page (src/app/index.html and the client it imports), an ES module app;
 * - the service worker (src/sw/sw.ts) as a classic IIFE script with
 *   Workbox's precache manifest injected — built by the package's own Vite
 *   plugin, `pubcacheWorker` (`pubcache-web/vite`), exactly as an embedder's
 *   worker is, so the bundle benchmark measures what they get.
 *
 * The plugin runs the worker build after the page build, so the manifest
 * lists the page's hashed assets.
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
  plugins: [pubcacheWorker({ src: here("src/sw/sw.ts") })],
});
