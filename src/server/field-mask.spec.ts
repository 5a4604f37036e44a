import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { Publication_Audience_Receipt, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { applyReadMask, applyUpdateMask, validateMask } from "./field-mask.js";

const mask = (...paths: string[]) => create(FieldMaskSchema, { paths });
const full = () =>
  create(PublicationSchema, {
    id: "p",
    version: "v1",
    body: new Uint8Array([1, 2]),
    mediaType: "text/plain",
    audience: { name: "room", receipt: Publication_Audience_Receipt.ACCEPTED, receiptRejectedReason: "why" },
  });

function codeOf(fn: () => unknown): Code | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("read masks", () => {
  it("returns everything without a mask and nothing with an empty one", () => {
    const p = full();
    expect(applyReadMask(PublicationSchema, p, undefined)).toBe(p);
    expect(applyReadMask(PublicationSchema, p, mask())).toEqual(create(PublicationSchema));
  });

  it("keeps only the listed fields, nested paths included, without touching the input", () => {
    const p = full();
    const idAndVersion = applyReadMask(PublicationSchema, p, mask("id", "version"));
    expect(idAndVersion).toEqual(create(PublicationSchema, { id: "p", version: "v1" }));
    const audienceName = applyReadMask(PublicationSchema, p, mask("audience.name"));
    expect(audienceName).toEqual(create(PublicationSchema, { audience: { name: "room" } }));
    // A whole message and one of its fields: the whole message wins.
    expect(applyReadMask(PublicationSchema, p, mask("audience.name", "audience")).audience).toEqual(p.audience);
    expect(p).toEqual(full());
  });

  it("rejects unknown fields and paths through non-message fields with INVALID_ARGUMENT", () => {
    expect(codeOf(() => applyReadMask(PublicationSchema, full(), mask("nope")))).toBe(Code.InvalidArgument);
    expect(codeOf(() => applyReadMask(PublicationSchema, full(), mask("id.x")))).toBe(Code.InvalidArgument);
    expect(codeOf(() => applyReadMask(PublicationSchema, full(), mask("audience.nope")))).toBe(Code.InvalidArgument);
    expect(codeOf(() => validateMask(PublicationSchema, mask("mediaType"), "read_mask"))).toBe(Code.InvalidArgument);
    expect(codeOf(() => validateMask(PublicationSchema, mask("media_type"), "read_mask"))).toBeUndefined();
  });
});

describe("update masks", () => {
  const change = create(PublicationSchema, { id: "p", body: new Uint8Array([9]), audience: { name: "hall" } });

  it("replaces everything without a mask and changes nothing with an empty one", () => {
    expect(applyUpdateMask(PublicationSchema, full(), change, undefined)).toEqual(change);
    expect(applyUpdateMask(PublicationSchema, full(), change, mask())).toEqual(full());
  });

  it("copies masked fields and clears masked fields the change leaves unset", () => {
    const bodyOnly = applyUpdateMask(PublicationSchema, full(), change, mask("body"));
    expect(bodyOnly).toEqual({ ...full(), body: new Uint8Array([9]) });
    const clearedMediaType = applyUpdateMask(PublicationSchema, full(), change, mask("media_type"));
    expect(clearedMediaType.mediaType).toBe("");
    const noAudience = applyUpdateMask(PublicationSchema, full(), create(PublicationSchema), mask("audience"));
    expect(noAudience.audience).toBeUndefined();
  });

  it("updates one field of a nested message and keeps its siblings", () => {
    const result = applyUpdateMask(PublicationSchema, full(), change, mask("audience.name"));
    expect(result.audience).toEqual({ ...full().audience, name: "hall" });
    const fromNothing = applyUpdateMask(PublicationSchema, create(PublicationSchema, { id: "p" }), change, mask("audience.name"));
    expect(fromNothing.audience?.name).toBe("hall");
  });

  it("modifies neither input and rejects unknown fields", () => {
    const current = full();
    applyUpdateMask(PublicationSchema, current, change, mask("body", "audience.name"));
    expect(current).toEqual(full());
    expect(change.body).toEqual(new Uint8Array([9]));
    expect(codeOf(() => applyUpdateMask(PublicationSchema, full(), change, mask("bodyy")))).toBe(Code.InvalidArgument);
  });
});
