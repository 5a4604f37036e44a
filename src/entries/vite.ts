/**
 * `pubcache-web/vite` — the build side: a Vite plugin that builds your
 * service worker for the cache (classic script, precache manifest injected,
 * protobuf trimmed to the binary format and served by a small runtime). Needs `vite` and
 * `vite-plugin-pwa` in your devDependencies.
 *
 * @packageDocumentation
 */
export { pubcacheWorker, type PubCacheWorkerOptions } from "../vite/pubcache-worker.js";
export { binaryOnlyConnect } from "../vite/binary-only-connect.js";
export { protobufLite } from "../vite/protobuf-lite.js";
