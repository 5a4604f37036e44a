import { realpathSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Unit and integration tests (Node). Browser behaviour is proven by the
// Playwright suite in e2e/, never only here.
export default defineConfig({
  // Specs in a DOM environment (the Vue and React bindings: happy-dom) load
  // their dependencies through Vite, which serves only allowed folders: allow
  // node_modules where it really is (a git worktree links it from elsewhere).
  server: { fs: { allow: [".", realpathSync("node_modules")] } },
  test: {
    include: ["src/**/*.spec.ts"],
    setupFiles: ["fake-indexeddb/auto"],
    testTimeout: 20_000,
    pool: "threads",
    maxWorkers: 2,
  },
});
