import type { Plugin } from "vite";

/** connect's module that picks the binary or the JSON serializers at run time. */
const CONNECT_SERIALIZATION = /@connectrpc[\\/]connect[\\/]dist[\\/]esm[\\/]protocol[\\/]serialization\.js$/;
const SHIM_PREFIX = "\0pubcache-binary-only:";

/**
 * Leaves protobuf-es's JSON serialisation out of a bundle that speaks
 * gRPC-Web in the binary format only, as the cache's engines do (≈ 3–5 kB
 * of a 45 kB gzipped worker). connect's `createClientMethodSerializers`
 * picks binary or JSON at run time (`useBinaryFormat`), so a bundler keeps
 * both. This hands connect's serialization module `fromBinary`/`toBinary`
 * from the very `@bufbuild/protobuf` it would have imported and, for the
 * JSON pair, functions that throw: the binary path runs exactly the same
 * code. Only that one import of that one module is touched; anything else
 * that imports `@bufbuild/protobuf` gets it whole.
 *
 * If connect moves that module, the plugin matches nothing and the bundle
 * just keeps the JSON code (bigger, still correct); the bundle benchmark
 * shows it. `pubcacheWorker()` adds this plugin to the worker build; add it
 * yourself only when you build the worker another way. Never use it for a
 * bundle that calls a Connect or gRPC server with `useBinaryFormat: false`.
 */
export function binaryOnlyConnect(): Plugin {
  return {
    name: "pubcache-web:binary-only-connect",
    enforce: "pre",
    async resolveId(source, importer) {
      if (source !== "@bufbuild/protobuf" || !importer || !CONNECT_SERIALIZATION.test(importer)) return null;
      // Resolved from connect's own location, so it works wherever the package manager put it.
      const real = await this.resolve(source, importer, { skipSelf: true });
      return real && !real.external ? SHIM_PREFIX + real.id : null;
    },
    load(id) {
      if (!id.startsWith(SHIM_PREFIX)) return null;
      const real = JSON.stringify(id.slice(SHIM_PREFIX.length));
      return [
        `export { fromBinary, toBinary } from ${real};`,
        'export function fromJsonString() { throw new Error("pubcache-web: this bundle speaks the binary format only (binaryOnlyConnect)"); }',
        "export const toJsonString = fromJsonString;",
      ].join("\n");
    },
  };
}
