import { cp, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../..", import.meta.url));
/** Where the bench puts its builds (git-ignored). */
export const OUT = join(REPO, "bench/.out");

/**
 * Builds the app with the project's own vite.config.ts (the same page and
 * service worker `npm run build` makes) into bench/.out/app, with one extra
 * static file in the public dir — `blank.html`, the precached blank page the
 * offline cold start is compared with. Workbox precaches it like every
 * other asset; the app's page and worker bytes are those of a plain build.
 */
export async function buildBenchApp(): Promise<string> {
  const publicDir = join(OUT, "app-public");
  const outDir = join(OUT, "app");
  await rm(publicDir, { recursive: true, force: true });
  await mkdir(publicDir, { recursive: true });
  await cp(join(REPO, "public"), publicDir, { recursive: true });
  await cp(join(REPO, "bench/public/blank.html"), join(publicDir, "blank.html"));
  await build({
    configFile: join(REPO, "vite.config.ts"),
    publicDir,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/**
 * Builds the app exactly as `npm run build` does (the project's config and
 * public dir) into bench/.out/plain, for the bundle sizes — without touching
 * dist/, which the end-to-end tests use.
 */
export async function buildPlainApp(): Promise<string> {
  const outDir = join(OUT, "plain");
  await build({ configFile: join(REPO, "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  return outDir;
}

/**
 * Builds the bench's own pages (bench/pages: the naive direct-stream page and
 * the storage page) into bench/.out/pages. They are served from another
 * origin than the app, so the app's service worker never sees them.
 */
export async function buildBenchPages(): Promise<string> {
  const root = join(REPO, "bench/pages");
  const outDir = join(OUT, "pages");
  await build({
    configFile: false,
    root,
    base: "./",
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      rollupOptions: { input: { direct: join(root, "direct.html"), storage: join(root, "storage.html") } },
    },
  });
  return outDir;
}

export interface StaticServer {
  /** `http://localhost:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a built directory with `vite preview` on a free port of localhost. */
export async function serveBuilt(outDir: string): Promise<StaticServer> {
  const port = await freePort();
  const server = await preview({
    configFile: false,
    root: REPO,
    logLevel: "warn",
    build: { outDir },
    preview: { port, strictPort: true, host: "localhost", open: false },
  });
  return { url: `http://localhost:${port}`, close: () => server.close() };
}

/** A port free on localhost right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "localhost", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
