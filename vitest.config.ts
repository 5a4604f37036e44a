import { defineConfig } from "vitest/config";

// Unit and integration tests (Node). Browser behaviour is proven by the
// Playwright suite in e2e/, never only here.
export default defineConfig({
  test: {
    include: ["src/**/*.spec.ts"],
    setupFiles: ["fake-indexeddb/auto"],
    testTimeout: 20_000,
    pool: "threads",
    maxWorkers: 2,
  },
});
