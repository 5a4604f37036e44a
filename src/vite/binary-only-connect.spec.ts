import { join } from "node:path";
import type { Plugin } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import { binaryOnlyConnect } from "./binary-only-connect.js";
import { bundleEntry, bundleFolder, REPO } from "./testing/bundle-entry.js";

const GENERATED = join(REPO, "src/gen/smartcore/traits/publication_pb.ts");
const folder = await bundleFolder("pubcache-binary-only-");
afterAll(() => folder.dispose());

/** What the bundles export: connect's serializer factory, the service, and protobuf-es's JSON function used directly. */
interface Bundle {
  createClientMethodSerializers(method: unknown, useBinaryFormat: boolean): { serialize(message: unknown): Uint8Array; parse(bytes: Uint8Array): unknown };
  PublicationApi: { method: { getPublication: { input: unknown } } };
  create(schema: unknown, init: object): unknown;
  toJsonString(schema: unknown, message: unknown): string;
  fromBinary(schema: unknown, bytes: Uint8Array): { name: string; id: string };
  GetPublicationRequestSchema: unknown;
}

/** Bundles a small entry (everything inlined, as the worker build does) with or without the plugin, and imports it. */
async function bundle(plugins: Plugin[]): Promise<Bundle> {
  const source = [
    'export { createClientMethodSerializers } from "@connectrpc/connect/protocol";',
    'export { create, fromBinary, toJsonString } from "@bufbuild/protobuf";',
    `export { PublicationApi, GetPublicationRequestSchema } from ${JSON.stringify(GENERATED)};`,
  ].join("\n");
  return folder.importChunk<Bundle>(await bundleEntry(source, plugins));
}

describe("binaryOnlyConnect", () => {
  it("connect's binary serializers work as before; its JSON ones throw; protobuf-es imported elsewhere keeps JSON", async () => {
    const trimmed = await bundle([binaryOnlyConnect()]);
    const method = trimmed.PublicationApi.method.getPublication;
    const request = trimmed.create(trimmed.GetPublicationRequestSchema, { name: "bms-1", id: "notice" });

    const binary = trimmed.createClientMethodSerializers(method, true);
    const bytes = binary.serialize(request);
    expect(trimmed.fromBinary(trimmed.GetPublicationRequestSchema, bytes)).toMatchObject({ name: "bms-1", id: "notice" });
    const json = trimmed.createClientMethodSerializers(method, false);
    expect(() => json.serialize(request)).toThrow(/binary format only/);

    expect(JSON.parse(trimmed.toJsonString(trimmed.GetPublicationRequestSchema, request))).toEqual({ name: "bms-1", id: "notice" });
  });

  it("without it, connect keeps its JSON serializers (what the plugin takes out)", async () => {
    const whole = await bundle([]);
    const method = whole.PublicationApi.method.getPublication;
    const request = whole.create(whole.GetPublicationRequestSchema, { name: "bms-1", id: "notice" });
    const json = whole.createClientMethodSerializers(method, false);
    expect(JSON.parse(new TextDecoder().decode(json.serialize(request)))).toEqual({ name: "bms-1", id: "notice" });
  });
});
