import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { readFileProto } from "../protobuf-lite/file-proto.js";
import * as liteRuntimeModule from "../protobuf-lite/index.js";

/** protobuf-es's modules whose functions need its reflection and descriptor runtime, relative to its dist/esm. */
const REPLACED = /[\\/]@bufbuild[\\/]protobuf[\\/]dist[\\/]esm[\\/](create|to-binary|from-binary|clone|equals|is-message|codegenv2[\\/](file|message|enum|service))\.js$/;
/** What must not be left in the bundle when the lite runtime stands in: protobuf-es's registry and reflection. */
const MUST_BE_GONE = /[\\/]@bufbuild[\\/]protobuf[\\/]dist[\\/]esm[\\/](registry|reflect[\\/]reflect|wkt[\\/]gen[\\/]google[\\/]protobuf[\\/]descriptor_pb)\.js$/;
const SHIM_PREFIX = "\0pubcache-protobuf-lite:";
/** A generated file's `fileDesc("<base64 FileDescriptorProto>"` (protoc-gen-es writes the literal, standard base64 without padding). */
const EMBEDDED_DESCRIPTOR = /\bfileDesc\(\s*"([A-Za-z0-9+/]*={0,2})"/g;

/** The lite runtime: `src/protobuf-lite/index.ts` here, `lib/protobuf-lite/index.js` in the package. */
function liteRuntime(): string {
  const base = fileURLToPath(new URL("../protobuf-lite/index", import.meta.url));
  for (const candidate of [`${base}.ts`, `${base}.js`]) if (existsSync(candidate)) return candidate;
  throw new Error(`pubcache-web: the lite protobuf runtime is missing (${base}.js); reinstall pubcache-web`);
}

/** Every name a protobuf-es module exports (its dist files declare them plainly). */
function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)/gm)) names.add(match[1]!);
  for (const match of source.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  return [...names];
}

/** The names the lite runtime implements, read from the runtime itself so the two never disagree. */
const LITE_EXPORTS = new Set(Object.keys(liteRuntimeModule));

/**
 * Builds a bundle with a small protobuf runtime in place of protobuf-es's
 * reflection and descriptor runtime (its registry, descriptor.proto and
 * reflection: ≈ 15 kB of a 59 kB gzipped worker).
 *
 * Generated code and Connect keep calling protobuf-es's API — `fileDesc`,
 * `messageDesc`, `serviceDesc`, `create`, `toBinary`, `fromBinary`,
 * `clone`, `equals`, `isMessage` — and get `src/protobuf-lite`'s versions,
 * which write the same bytes (checked against protobuf-es, byte for byte,
 * in protobuf-lite.spec.ts). The descriptor each generated file embeds as
 * base64 is read here, at build time, and written into the bundle as a
 * plain object instead (base64 barely compresses: 4 kB gzipped of the
 * worker's descriptors become 1 kB).
 * The rest of protobuf-es (its wire codec, 64-bit integers, base64, the
 * well-known types' helpers) is used as it is.
 *
 * Every other export of a replaced module is kept as a function that
 * throws, naming it, so a bundle that needs more of protobuf-es fails at
 * its first call instead of misbehaving; and the build fails if protobuf-es's
 * registry or reflection is still in the bundle (some code needs them: turn
 * the option off). Only the proto3 features the publication API uses are
 * implemented (scalars, enums, messages, repeated fields); a descriptor
 * with anything else throws when it loads.
 *
 * `pubcacheWorker()` adds this plugin to the worker build (option
 * `liteProtobuf`); it is not for pages or Node.
 */
export function protobufLite(): Plugin {
  let runtime: string | undefined;
  return {
    name: "pubcache-web:protobuf-lite",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!importer || importer.startsWith(SHIM_PREFIX) || !/@bufbuild[\\/]protobuf/.test(importer + source)) return null;
      const real = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!real || real.external || !REPLACED.test(real.id)) return null;
      return SHIM_PREFIX + real.id;
    },
    load(id) {
      if (!id.startsWith(SHIM_PREFIX)) return null;
      runtime ??= liteRuntime();
      const realId = id.slice(SHIM_PREFIX.length);
      const names = exportedNames(readFileSync(realId, "utf8"));
      const lite = names.filter((name) => LITE_EXPORTS.has(name));
      const missing = names.filter((name) => !LITE_EXPORTS.has(name));
      return [
        lite.length ? `export { ${lite.join(", ")} } from ${JSON.stringify(runtime)};` : "",
        ...missing.map(
          (name) =>
            `export function ${name}() { throw new Error(${JSON.stringify(`pubcache-web: ${name} of @bufbuild/protobuf is not in the lite runtime this bundle was built with (pubcacheWorker's liteProtobuf option)`)}); }`,
        ),
      ].join("\n");
    },
    transform(code, id) {
      if (!code.includes("fileDesc(")) return null;
      let changed = false;
      const out = code.replace(EMBEDDED_DESCRIPTOR, (_call, b64: string) => {
        changed = true;
        return `fileDesc(${JSON.stringify(readFileProto(b64))}`;
      });
      if (!changed) return null;
      if (/\bfileDesc\(\s*["'`]/.test(out)) this.error(`protobuf-lite: ${id} calls fileDesc with a descriptor this plugin cannot read ahead`);
      return { code: out, map: null };
    },
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type !== "chunk") continue;
        for (const [id, info] of Object.entries(item.modules)) {
          if (info.renderedLength > 0 && MUST_BE_GONE.test(id)) {
            this.error(`protobuf-lite: ${id} is still in ${item.fileName}: some code in this bundle uses protobuf-es's registry or reflection, which the lite runtime replaces; build without the liteProtobuf option`);
          }
        }
      }
    },
  };
}
