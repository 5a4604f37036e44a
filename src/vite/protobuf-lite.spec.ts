import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Rollup } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import { GetPublicationRequestSchema, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { binaryOnlyConnect } from "./binary-only-connect.js";
import { protobufLite } from "./protobuf-lite.js";
import { bundleEntry as bundle, bundleFolder, REPO } from "./testing/bundle-entry.js";

const GENERATED = join(REPO, "src/gen/smartcore/traits/publication_pb.ts");
const folder = await bundleFolder("pubcache-protobuf-lite-");
afterAll(() => folder.dispose());

const rendered = (chunk: Rollup.OutputChunk) => Object.entries(chunk.modules).filter(([, info]) => info.renderedLength > 0).map(([id]) => id);

/** What a worker uses of Connect and protobuf-es. */
const WORKER_LIKE = [
  'export { createClientMethodSerializers } from "@connectrpc/connect/protocol";',
  'export { findTrailerError } from "@connectrpc/connect/protocol-grpc";',
  'export { create, toBinary, fromBinary, clone, equals } from "@bufbuild/protobuf";',
  'export { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";',
  `export { PublicationApi, PublicationSchema } from ${JSON.stringify(GENERATED)};`,
].join("\n");

interface WorkerLike {
  createClientMethodSerializers(method: unknown, useBinaryFormat: boolean): { serialize(message: unknown): Uint8Array; parse(bytes: Uint8Array): unknown };
  findTrailerError(headers: Headers): (Error & { code: number; rawMessage: string }) | undefined;
  create(schema: unknown, init: object): unknown;
  toBinary(schema: unknown, message: unknown): Uint8Array;
  timestampFromMs(ms: number): unknown;
  PublicationApi: { method: Record<string, { input: unknown; output: unknown; methodKind: string; parent: { typeName: string }; name: string }> };
  PublicationSchema: unknown;
}

describe("protobufLite", () => {
  it("takes protobuf-es's registry and reflection out, and Connect's serializers and status trailers still work the same", async () => {
    const chunk = await bundle(WORKER_LIKE, [protobufLite(), binaryOnlyConnect()]);
    const modules = rendered(chunk);
    expect(modules.some((id) => /[\\/]src[\\/]protobuf-lite[\\/]/.test(id))).toBe(true);
    expect(modules.filter((id) => /@bufbuild[\\/]protobuf[\\/].*(registry|reflect[\\/]reflect|descriptor_pb|codegenv2[\\/]boot)\.js$/.test(id))).toEqual([]);
    // Descriptors were read at build time: no base64 descriptor is left to decode.
    expect(chunk.code).not.toMatch(/fileDesc\(\s*"/);
    expect(chunk.code).toMatch(/"name":\s*"smartcore\/traits\/publication\.proto"/);

    const trimmed = await folder.importChunk<WorkerLike>(chunk);
    const method = trimmed.PublicationApi.method.getPublication!;
    expect([method.name, method.methodKind, method.parent.typeName]).toEqual(["GetPublication", "unary", "smartcore.traits.PublicationApi"]);
    const serializers = trimmed.createClientMethodSerializers(method, true);
    const request = { name: "bms-1", id: "notice", version: "v2" };
    // A plain init is made a message by Connect (create), then written: the bytes protobuf-es writes.
    expect(serializers.serialize(trimmed.create(method.input, request))).toEqual(toBinary(GetPublicationRequestSchema, create(GetPublicationRequestSchema, request)));
    const publication = create(PublicationSchema, { id: "notice", version: "v2", body: new Uint8Array([1, 2, 3]), mediaType: "text/plain", audience: { name: "lobby", receipt: 2 } });
    const parsed = serializers.parse(toBinary(PublicationSchema, publication));
    expect(parsed).toEqual(publication);
    expect(trimmed.toBinary(trimmed.PublicationSchema, trimmed.create(trimmed.PublicationSchema, { publishTime: trimmed.timestampFromMs(1_700_000_000_123) }))).toEqual(
      toBinary(PublicationSchema, create(PublicationSchema, { publishTime: timestampFromMs(1_700_000_000_123) })),
    );

    // grpc-status-details-bin: a google.rpc.Status, decoded with the lite runtime.
    const status = new Uint8Array([8, 16, 18, 6, ...new TextEncoder().encode("signed")]);
    const error = trimmed.findTrailerError(new Headers({ "grpc-status-details-bin": Buffer.from(status).toString("base64") }));
    expect([error?.code, error?.rawMessage]).toEqual([16, "signed"]);
  });

  it("fails the build, naming the option, when the bundle needs protobuf-es's reflection", async () => {
    const needsReflection = `export { toJson } from "@bufbuild/protobuf";\nexport { PublicationSchema } from ${JSON.stringify(GENERATED)};`;
    await expect(bundle(needsReflection, [protobufLite()])).rejects.toThrow(/liteProtobuf/);
  });

  it("keeps every export of the modules it stands in for: the ones it does not implement throw when called, by name", async () => {
    const chunk = await bundle('export { readField } from "@bufbuild/protobuf/codegenv2"; export { isMessage } from "@bufbuild/protobuf";', [protobufLite()]).catch(() => undefined);
    // readField is not exported by codegenv2: the build itself refuses the import, as without the plugin.
    expect(chunk).toBeUndefined();
    const usesMerge = await bundle('export { mergeFromBinary, isMessage } from "@bufbuild/protobuf"; export { tsEnum } from "@bufbuild/protobuf/codegenv2";', [protobufLite()]);
    const loaded = await folder.importChunk<{ isMessage(value: unknown): boolean; tsEnum(): unknown }>(usesMerge);
    expect(loaded.isMessage({ $typeName: "x" })).toBe(true);
    expect(() => loaded.tsEnum()).toThrow(/tsEnum of @bufbuild\/protobuf is not in the lite runtime/);
  });
});
