import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
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
        globPatterns: ["**/*.{html,js,css,svg,png,ico,webmanifest,json}"],
      },
      devOptions: { enabled: false },
    }),
  ],
});
