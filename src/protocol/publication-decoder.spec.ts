import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { PublicationSchema, Publication_AudienceSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";
import { seededRandom } from "../core/random.js";
import { decodePublication, PublicationDecodeError } from "./publication-decoder.js";

/** A small seeded generator (mulberry32, the core's), so a failure names a reproducible case. */
function seeded(seed: number) {
  const next = seededRandom(seed);
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof seeded>;

const TEXTS = ["", "a", "board-1", "Tür offen", "火災報知器", "🚒 évacuation", "x".repeat(300), "\u0000ctl\u007f"];
const INT64S = [0n, 1n, -1n, 1_700_000_000n, -62_135_596_800n, 253_402_300_799n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, 2n ** 35n - 1n];
const INT32S = [0, 1, -1, 999_999_999, 2_147_483_647, -2_147_483_648, 128, 16_384, 2 ** 28];

function text(rng: Rng): string {
  if (rng.chance(0.7)) return rng.pick(TEXTS);
  return Array.from({ length: rng.int(20) }, () => String.fromCodePoint(rng.pick([rng.int(0x80), 0x80 + rng.int(0x780), 0x800 + rng.int(0xd000), 0x10000 + rng.int(0x10000)]))).join("");
}

function bytes(rng: Rng, max = 300): Uint8Array {
  return Uint8Array.from({ length: rng.int(max) }, () => rng.int(256));
}

function timestamp(rng: Rng) {
  return create(TimestampSchema, { seconds: rng.pick(INT64S), nanos: rng.pick(INT32S) });
}

function publication(rng: Rng): Publication {
  return create(PublicationSchema, {
    id: text(rng),
    version: rng.chance(0.8) ? text(rng) : "",
    body: rng.chance(0.8) ? bytes(rng) : new Uint8Array(0),
    mediaType: rng.chance(0.5) ? rng.pick(["application/json", "text/plain", ""]) : text(rng),
    ...(rng.chance(0.5) && {
      audience: {
        name: text(rng),
        receipt: rng.pick([0, 1, 2, 3, 7, -1, 2_147_483_647]),
        receiptRejectedReason: rng.chance(0.5) ? text(rng) : "",
        ...(rng.chance(0.5) && { receiptTime: timestamp(rng) }),
      },
    }),
    ...(rng.chance(0.7) && { publishTime: timestamp(rng) }),
  });
}

/** One field a newer schema might have: any wire type, any field number from `from` on. */
function unknownField(rng: Rng, from: number, depth = 0): Uint8Array {
  const no = rng.chance(0.8) ? from + rng.int(20) : from + rng.int(2 ** 29 - from);
  const w = new BinaryWriter();
  switch (rng.int(depth < 3 ? 5 : 4)) {
    case 0:
      w.tag(no, WireType.Varint).uint64(rng.pick([0n, 1n, 300n, 2n ** 64n - 1n, 2n ** 35n]));
      break;
    case 1:
      w.tag(no, WireType.Bit64).fixed64(BigInt(rng.int(2 ** 30)) * 3n);
      break;
    case 2:
      w.tag(no, WireType.Bit32).fixed32(rng.int(2 ** 31));
      break;
    case 3:
      w.tag(no, WireType.LengthDelimited).bytes(bytes(rng, 40));
      break;
    default:
      w.tag(no, WireType.StartGroup);
      for (let i = rng.int(3); i > 0; i--) w.raw(unknownField(rng, 1, depth + 1));
      w.tag(no, WireType.EndGroup);
  }
  return w.finish();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A field-by-field shuffle of a message's encoding with unknown fields in between, and in its audience and timestamps. */
function withUnknownFields(rng: Rng, message: Publication): Uint8Array {
  const parts: Uint8Array[] = [toBinary(PublicationSchema, { ...message, audience: undefined, publishTime: undefined })];
  const nested = (no: number, body: Uint8Array) => new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(body).finish();
  const extra = (from: number) => concat(...Array.from({ length: rng.int(3) }, () => unknownField(rng, from)));
  if (message.audience) {
    const { receiptTime, ...audience } = message.audience;
    const time = receiptTime ? nested(4, concat(toBinary(TimestampSchema, receiptTime), extra(3))) : new Uint8Array(0);
    parts.push(nested(4, concat(extra(5), toBinary(Publication_AudienceSchema, audience), time, extra(5))));
  }
  if (message.publishTime) parts.push(nested(5, concat(extra(3), toBinary(TimestampSchema, message.publishTime))));
  for (let i = rng.int(4); i > 0; i--) parts.splice(rng.int(parts.length + 1), 0, unknownField(rng, 7));
  return concat(...parts);
}

/** Decodes with both; the hand-written decoder must agree or, only on malformed bytes, throw its typed error. */
function compare(bytes: Uint8Array): "same" | "rejected" {
  let expected: Publication | undefined;
  try {
    expected = fromBinary(PublicationSchema, bytes);
  } catch {
    expected = undefined;
  }
  let actual: Publication;
  try {
    actual = decodePublication(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(PublicationDecodeError);
    return "rejected";
  }
  expect(expected, "fromBinary rejects what decodePublication accepted").toBeDefined();
  expect(actual).toStrictEqual(expected);
  return "same";
}

describe("decodePublication", () => {
  it("equals fromBinary on 2,000 generated publications", () => {
    const rng = seeded(1);
    for (let i = 0; i < 2_000; i++) {
      const bytes = toBinary(PublicationSchema, publication(rng));
      expect(compare(bytes), `case ${i}`).toBe("same");
    }
  });

  it("keeps unknown fields of every wire type, top-level and nested, as fromBinary does", () => {
    const rng = seeded(2);
    let withUnknown = 0;
    for (let i = 0; i < 2_000; i++) {
      const bytes = withUnknownFields(rng, publication(rng));
      expect(compare(bytes), `case ${i}`).toBe("same");
      const decoded = decodePublication(bytes);
      if (decoded.$unknown || decoded.audience?.$unknown || decoded.publishTime?.$unknown) withUnknown += 1;
      // Kept unknown fields survive a re-encode, byte for byte.
      expect(toBinary(PublicationSchema, decoded)).toEqual(toBinary(PublicationSchema, fromBinary(PublicationSchema, bytes)));
    }
    expect(withUnknown).toBeGreaterThan(1_000);
  });

  it("decodes no bytes and explicitly encoded empty fields to the defaults", () => {
    expect(compare(new Uint8Array(0))).toBe("same");
    expect(decodePublication(new Uint8Array(0))).toStrictEqual(create(PublicationSchema));
    const w = new BinaryWriter();
    w.tag(1, WireType.LengthDelimited).string("");
    w.tag(2, WireType.LengthDelimited).string("");
    w.tag(3, WireType.LengthDelimited).bytes(new Uint8Array(0));
    w.tag(4, WireType.LengthDelimited).bytes(new Uint8Array(0));
    w.tag(5, WireType.LengthDelimited).bytes(new Uint8Array(0));
    w.tag(6, WireType.LengthDelimited).string("");
    const bytes = w.finish();
    expect(compare(bytes)).toBe("same");
    expect(decodePublication(bytes).publishTime).toStrictEqual(create(TimestampSchema));
  });

  it("reads large and negative varints as protobuf-es does (10-byte int32, full int64 range)", () => {
    for (const seconds of INT64S) {
      for (const nanos of INT32S) {
        const bytes = toBinary(PublicationSchema, create(PublicationSchema, { publishTime: { seconds, nanos }, audience: { receipt: nanos } }));
        expect(compare(bytes)).toBe("same");
        expect(decodePublication(bytes).publishTime?.seconds).toBe(seconds);
      }
    }
    // Non-minimal varints (padded with 0x80 continuation bytes) and an int32 sent as a 64-bit value.
    const padded = Uint8Array.of(0x2a, 0x0c, 0x08, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x10, 0x05);
    expect(compare(padded)).toBe("same");
    expect(decodePublication(padded).publishTime).toMatchObject({ seconds: 1n, nanos: 5 });
    const wide = new BinaryWriter().tag(4, WireType.LengthDelimited).fork().tag(2, WireType.Varint).uint64(2n ** 40n + 2n).join().finish();
    expect(compare(wide)).toBe("same");
  });

  it("merges a repeated message field and keeps the last of a repeated scalar, as fromBinary does", () => {
    const rng = seeded(3);
    for (let i = 0; i < 300; i++) {
      const bytes = concat(withUnknownFields(rng, publication(rng)), withUnknownFields(rng, publication(rng)));
      expect(compare(bytes), `case ${i}`).toBe("same");
    }
  });

  it("rejects every truncation that cuts a field, with its typed error", () => {
    const rng = seeded(4);
    let rejected = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = withUnknownFields(rng, publication(rng));
      for (let cut = 0; cut < bytes.length; cut++) if (compare(bytes.subarray(0, cut)) === "rejected") rejected += 1;
    }
    expect(rejected).toBeGreaterThan(1_000);
    // A cut inside the id's string.
    const id = toBinary(PublicationSchema, create(PublicationSchema, { id: "board" }));
    expect(() => decodePublication(id.subarray(0, 4))).toThrow(PublicationDecodeError);
  });

  it("never accepts corrupted bytes fromBinary rejects, and agrees with it on those it accepts", () => {
    const rng = seeded(5);
    const outcomes = { same: 0, rejected: 0 };
    for (let i = 0; i < 3_000; i++) {
      const bytes = withUnknownFields(rng, publication(rng));
      if (bytes.length === 0) continue;
      for (let flips = 1 + rng.int(3); flips > 0; flips--) bytes[rng.int(bytes.length)] = rng.int(256);
      outcomes[compare(bytes)] += 1;
    }
    expect(outcomes.rejected).toBeGreaterThan(500);
  });

  it.each([
    ["a string that is not UTF-8", [0x0a, 0x02, 0xc3, 0x28]],
    ["a known field with the wrong wire type", [0x08, 0x01]],
    ["a message field sent as a varint", [0x20, 0x01]],
    ["field number 0", [0x02, 0x00]],
    ["wire type 6", [0x3e]],
    ["wire type 7", [0x3f]],
    ["an end-group tag without a group", [0x3c]],
    ["a group ended by another field's end tag", [0x3b, 0x44]],
    ["an unterminated group", [0x3b, 0x08, 0x01]],
    ["a varint of 11 bytes", [0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ["a tag that overflows uint32", [0x80, 0x80, 0x80, 0x80, 0x10, 0x00]],
    ["a length past the end", [0x1a, 0x05, 0x01]],
    ["a huge length", [0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ["a field running out of its embedded message", [0x2a, 0x02, 0x08, 0x96, 0x01]],
    ["a truncated fixed64", [0x39, 0x01, 0x02, 0x03]],
    ["a truncated fixed32", [0x3d, 0x01]],
  ])("rejects %s with PublicationDecodeError", (_, bytes) => {
    const error = (() => {
      try {
        decodePublication(Uint8Array.from(bytes));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PublicationDecodeError);
    expect((error as PublicationDecodeError).offset).toBeGreaterThanOrEqual(0);
    expect((error as PublicationDecodeError).message).toMatch(/^cannot decode publication: /);
  });

  it("rejects groups nested deeper than protobuf-es's recursion limit", () => {
    const depth = 120;
    const open = Array.from({ length: depth }, () => 0x3b);
    const close = Array.from({ length: depth }, () => 0x3c);
    expect(() => decodePublication(Uint8Array.from([...open, ...close]))).toThrow(PublicationDecodeError);
    expect(() => fromBinary(PublicationSchema, Uint8Array.from([...open, ...close]))).toThrow();
  });
});
