import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import {
  AcknowledgePublicationRequestSchema,
  PublicationApi,
  PublicationSchema,
  Publication_Audience_Receipt,
  PullPublicationResponseSchema,
  PullPublicationsResponse_ChangeSchema,
} from "../gen/smartcore/traits/publication_pb.js";
import * as traits from "../gen/smartcore/traits/publication_pb.js";
import * as v1 from "../gen/smartcore/bos/publication/v1/publication_pb.js";

// The expected bytes below are built from the field table in
// ../shared/spec/publication-api.md with a hand-written encoder that knows
// nothing of our generated code: tag = field number << 3 | wire type.
const VARINT = 0;
const LEN = 2;

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wireType: number) => varint((field << 3) | wireType);
const uint = (field: number, value: number | bigint) => [...tag(field, VARINT), ...varint(value)];
const bytes = (field: number, content: number[]) => [...tag(field, LEN), ...varint(content.length), ...content];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);
const timestamp = (seconds: number, nanos: number) => [
  ...(seconds ? uint(1, seconds) : []),
  ...(nanos ? uint(2, nanos) : []),
];

// Publication: 1 id, 2 version, 3 body, 4 audience, 5 publish_time, 6 media_type.
// Audience: 1 name, 2 receipt, 3 receipt_rejected_reason, 4 receipt_time.
function publicationBytes(id: string, version: string, body: number[], withAudience: boolean): number[] {
  return [
    ...str(1, id),
    ...str(2, version),
    ...bytes(3, body),
    ...(withAudience
      ? bytes(4, [...str(1, "kiosk-1"), ...uint(2, 3), ...str(3, "too late"), ...bytes(4, timestamp(1_700_000_002, 0))])
      : []),
    ...bytes(5, timestamp(1_700_000_001, 500_000_000)),
    ...str(6, "application/json"),
  ];
}

function publication(id: string, version: string, body: number[], withAudience: boolean) {
  return create(PublicationSchema, {
    id,
    version,
    body: new Uint8Array(body),
    audience: withAudience
      ? {
          name: "kiosk-1",
          receipt: Publication_Audience_Receipt.REJECTED,
          receiptRejectedReason: "too late",
          receiptTime: timestampFromMs(1_700_000_002_000),
        }
      : undefined,
    publishTime: timestampFromMs(1_700_000_001_500),
    mediaType: "application/json",
  });
}

describe("wire contract: our generated code writes the bytes the field table prescribes", () => {
  it("Publication with audience and publish_time", () => {
    const msg = publication("site-config", "v7", [0x7b, 0x7d], true);
    const expected = publicationBytes("site-config", "v7", [0x7b, 0x7d], true);
    expect([...toBinary(PublicationSchema, msg)]).toEqual(expected);
    // And the reverse: hand-made bytes decode to the same message.
    expect(fromBinary(PublicationSchema, new Uint8Array(expected))).toEqual(msg);
  });

  it("PullPublicationResponse with two changes (1 changes → 1 name, 2 change_time, 3 publication)", () => {
    const msg = create(PullPublicationResponseSchema, {
      changes: [
        { name: "dev", changeTime: timestampFromMs(1_000), publication: publication("a", "1", [1], false) },
        { name: "dev", changeTime: timestampFromMs(2_000), publication: publication("a", "2", [2], false) },
      ],
    });
    const change = (seconds: number, version: string, body: number[]) =>
      bytes(1, [...str(1, "dev"), ...bytes(2, timestamp(seconds, 0)), ...bytes(3, publicationBytes("a", version, body, false))]);
    expect([...toBinary(PullPublicationResponseSchema, msg)]).toEqual([...change(1, "1", [1]), ...change(2, "2", [2])]);
  });

  it("PullPublicationsResponse.Change with old and new values (1 name, 2 type, 3 new_value, 4 old_value, 5 change_time)", () => {
    const msg = create(PullPublicationsResponse_ChangeSchema, {
      name: "dev",
      type: ChangeType.UPDATE,
      newValue: publication("b", "new", [9], true),
      oldValue: publication("b", "old", [8], false),
      changeTime: timestampFromMs(3_000),
    });
    expect([...toBinary(PullPublicationsResponse_ChangeSchema, msg)]).toEqual([
      ...str(1, "dev"),
      ...uint(2, 2),
      ...bytes(3, publicationBytes("b", "new", [9], true)),
      ...bytes(4, publicationBytes("b", "old", [8], false)),
      ...bytes(5, timestamp(3, 0)),
    ]);
  });

  it("AcknowledgePublicationRequest (1 name, 2 id, 3 version, 4 receipt, 5 reason, 6 allow_acknowledged)", () => {
    const msg = create(AcknowledgePublicationRequestSchema, {
      name: "bms",
      id: "notice",
      version: "v3",
      receipt: Publication_Audience_Receipt.ACCEPTED,
      receiptRejectedReason: "n/a",
      allowAcknowledged: true,
    });
    expect([...toBinary(AcknowledgePublicationRequestSchema, msg)]).toEqual([
      ...str(1, "bms"),
      ...str(2, "notice"),
      ...str(3, "v3"),
      ...uint(4, 2),
      ...str(5, "n/a"),
      ...uint(6, 1),
    ]);
  });

  it("enum numbers match the spec", () => {
    expect([ChangeType.CHANGE_TYPE_UNSPECIFIED, ChangeType.ADD, ChangeType.UPDATE, ChangeType.REMOVE, ChangeType.REPLACE]).toEqual([0, 1, 2, 3, 4]);
    expect([
      Publication_Audience_Receipt.RECEIPT_UNSPECIFIED,
      Publication_Audience_Receipt.NO_SIGNAL,
      Publication_Audience_Receipt.ACCEPTED,
      Publication_Audience_Receipt.REJECTED,
    ]).toEqual([0, 1, 2, 3]);
  });

  it("RPC paths are /smartcore.traits.PublicationApi/<Method>, with the right stream kinds", () => {
    expect(PublicationApi.typeName).toBe("smartcore.traits.PublicationApi");
    const kinds = Object.fromEntries(PublicationApi.methods.map((m) => [m.name, m.methodKind]));
    expect(kinds).toEqual({
      CreatePublication: "unary",
      GetPublication: "unary",
      UpdatePublication: "unary",
      DeletePublication: "unary",
      PullPublication: "server_streaming",
      ListPublications: "unary",
      PullPublications: "server_streaming",
      AcknowledgePublication: "unary",
    });
  });
});

describe("wire contract: smartcore.bos.publication.v1 and smartcore.traits are the same bytes", () => {
  const receipt = Publication_Audience_Receipt.REJECTED;
  const publication = {
    id: "lobby",
    version: "v-1",
    body: new Uint8Array([1, 2, 3]),
    audience: { name: "screen-1", receipt, receiptRejectedReason: "no", receiptTime: timestampFromMs(Date.UTC(2026, 0, 1)) },
    publishTime: timestampFromMs(Date.UTC(2026, 0, 2)),
    mediaType: "text/plain",
  };
  const mask = { paths: ["id", "version"] };
  const time = timestampFromMs(Date.UTC(2026, 0, 3));
  // One message of every type with every field set (non-default), as the spec's table lists them.
  const samples: Record<string, Record<string, unknown>> = {
    Publication: publication,
    CreatePublicationRequest: { name: "bms", publication },
    GetPublicationRequest: { name: "bms", id: "lobby", readMask: mask, version: "v-1" },
    UpdatePublicationRequest: { name: "bms", publication, updateMask: mask, version: "v-1" },
    DeletePublicationRequest: { name: "bms", id: "lobby", version: "v-1", allowMissing: true },
    PullPublicationRequest: { name: "bms", id: "lobby", readMask: mask, updatesOnly: true },
    PullPublicationResponse: { changes: [{ name: "bms", changeTime: time, publication }] },
    ListPublicationsRequest: { name: "bms", readMask: mask, pageSize: 7, pageToken: "lobby" },
    ListPublicationsResponse: { publications: [publication, publication], nextPageToken: "t", totalSize: 9 },
    PullPublicationsRequest: { name: "bms", readMask: mask, updatesOnly: true },
    PullPublicationsResponse: {
      changes: [{ name: "bms", type: ChangeType.REPLACE, newValue: publication, oldValue: publication, changeTime: time }],
    },
    AcknowledgePublicationRequest: { name: "bms", id: "lobby", version: "v-1", receipt, receiptRejectedReason: "no", allowAcknowledged: true },
  };
  const schemaOf = (module: Record<string, unknown>, name: string) => module[`${name}Schema`] as DescMessage;

  for (const [name, init] of Object.entries(samples)) {
    it(`${name}: encoded with one package, decoded with the other, gives the same bytes and values`, () => {
      const traitsSchema = schemaOf(traits, name);
      const v1Schema = schemaOf(v1, name);
      const traitsBytes = toBinary(traitsSchema, create(traitsSchema, init));
      const v1Bytes = toBinary(v1Schema, create(v1Schema, init));
      expect(v1Bytes).toEqual(traitsBytes);
      const { $typeName: _a, ...fromTraits } = fromBinary(v1Schema, traitsBytes) as Record<string, unknown>;
      const { $typeName: _b, ...fromV1 } = fromBinary(traitsSchema, v1Bytes) as Record<string, unknown>;
      expect(toBinary(v1Schema, create(v1Schema, fromTraits))).toEqual(traitsBytes);
      expect(toBinary(traitsSchema, create(traitsSchema, fromV1))).toEqual(v1Bytes);
    });
  }

  it("RPC paths are /smartcore.bos.publication.v1.PublicationApi/<Method>: the same methods, stream kinds and order", () => {
    expect(v1.PublicationApi.typeName).toBe("smartcore.bos.publication.v1.PublicationApi");
    expect(v1.PublicationApi.methods.map((m) => `${m.name} ${m.methodKind}`)).toEqual(
      PublicationApi.methods.map((m) => `${m.name} ${m.methodKind}`),
    );
    // ChangeType is not copied into the new package.
    const change = v1.PullPublicationsResponse_ChangeSchema.fields.find((f) => f.name === "type");
    expect(change?.enum?.typeName).toBe("smartcore.types.ChangeType");
  });
});
