import { defineConfig } from "vite";
import { pubcacheWorker } from "pubcache-web/vite";

export default defineConfig({
  plugins: [pubcacheWorker({ src: "src/sw.ts" })],
});
