import { existsSync } from "node:fs";

/**
 * Debian's Chromium and the flags it needs here (root, closed network; see
 * ../shared/notes/platform.md), for the end-to-end tests and the benchmarks.
 * Playwright cannot download a browser on this machine.
 */
export const CHROMIUM_PATH = process.env.PUBCACHE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Throws when Chromium is missing: a browser suite must fail, never skip, without its browser. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set PUBCACHE_CHROMIUM`);
  }
  return CHROMIUM_PATH;
}
