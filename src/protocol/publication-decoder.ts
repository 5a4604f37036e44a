import type { Message } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Publication, Publication_Audience } from "../gen/smartcore/traits/publication_pb.js";

/**
 * Decodes the protobuf bytes of a `smartcore.traits.Publication` without
 * `@bufbuild/protobuf`'s reflection runtime, which would weigh ~30 kB
 * gzipped on every page that only needs to read publications (first paint
 * from IndexedDB, the host's snapshots on the channel).
 *
 * The result equals `fromBinary(PublicationSchema, bytes)`: the same plain
 * objects with `$typeName`, `publish_time.seconds` as a bigint, `body` a view
 * of `bytes`, a repeated message field merged, the last of a repeated scalar
 * kept, and fields this version does not know kept in `$unknown` (so they
 * survive a re-encode). It is stricter where bytes are malformed: a known
 * field with the wrong wire type, a field running past its message, an
 * 11-byte varint or a string that is not UTF-8 throw
 * {@link PublicationDecodeError} rather than yield a value — a malformed
 * value is never shown.
 *
 * Keep in step with proto/smartcore/traits/publication.proto; the spec
 * checks it against the generated schema. Written as closures over one
 * cursor so that minifiers can shorten every name.
 */
export function decodePublication(buf: Uint8Array): Publication {
  let pos = 0;

  const fail = (reason: string, at = pos): never => {
    throw new PublicationDecodeError(reason, at);
  };

  const expect = (wireType: number, expected: number) => {
    if (wireType !== expected) fail(`wire type ${wireType} where ${expected} belongs`);
  };

  /** A varint as its low and high 32 bits, as protobuf-es reads it: at most 10 bytes. */
  const varint = (end: number): [number, number] => {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) fail(PAST_END);
      const byte = buf[pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) return [lo, hi];
    }
    return fail("varint longer than 10 bytes");
  };

  /** A varint field's value, checking the wire type. */
  const scalar = (wireType: number, end: number) => {
    expect(wireType, VARINT);
    return varint(end);
  };

  /** The length of a length-delimited field, checked against the end of its message. */
  const length = (wireType: number, end: number) => {
    expect(wireType, LENGTH_DELIMITED);
    const size = varint(end)[0] >>> 0;
    if (size > end - pos) fail(PAST_END);
    return size;
  };

  const bytes = (wireType: number, end: number) => {
    const size = length(wireType, end);
    return buf.subarray(pos, (pos += size));
  };

  const string = (wireType: number, end: number) => {
    const start = pos;
    const raw = bytes(wireType, end);
    try {
      utf8 ??= new TextDecoder("utf-8", { fatal: true });
      return utf8.decode(raw);
    } catch {
      return fail("string is not UTF-8", start);
    }
  };

  const tag = (end: number): [number, number] => {
    const start = pos;
    const [value] = varint(end);
    if (pos - start > 5 || (pos - start === 5 && buf[pos - 1]! > 0x0f)) fail(ILLEGAL_TAG, start);
    const no = value >>> 3;
    const wireType = value & 7;
    if (no === 0 || wireType > FIXED32) fail(ILLEGAL_TAG, start);
    return [no, wireType];
  };

  const skip = (no: number, wireType: number, end: number, budget: number): void => {
    if (wireType === VARINT) varint(end);
    else if (wireType === LENGTH_DELIMITED) {
      // Not `pos += length(…)`: that adds to the position before the length was read.
      const size = length(wireType, end);
      pos += size;
    } else if (wireType === FIXED64 || wireType === FIXED32) {
      const size = wireType === FIXED64 ? 8 : 4;
      if (size > end - pos) fail(PAST_END);
      pos += size;
    } else if (wireType === START_GROUP) {
      if (budget <= 0) fail("groups nested too deep");
      for (;;) {
        const [innerNo, innerType] = tag(end);
        if (innerType === END_GROUP) {
          if (innerNo !== no) fail(UNBALANCED_GROUP);
          return;
        }
        skip(innerNo, innerType, end, budget - 1);
      }
    } else fail(UNBALANCED_GROUP);
  };

  /** Reads fields up to `end`, known ones through `field`, the others into `target.$unknown`. */
  const message = <T extends { $unknown?: UnknownFields | undefined }>(target: T, end: number, depth: number, field: FieldReader): T => {
    const unknown: UnknownFields = target.$unknown ?? [];
    while (pos < end) {
      const [no, wireType] = tag(end);
      if (field(no, wireType, end, depth)) continue;
      const start = pos;
      skip(no, wireType, end, MAX_DEPTH - depth);
      unknown.push({ no, wireType, data: buf.subarray(start, pos) });
    }
    if (unknown.length > 0) target.$unknown = unknown;
    return target;
  };

  /** An embedded message starting here, merged into `into` when the field was seen before. */
  const embedded = <T extends { $unknown?: UnknownFields | undefined }>(wireType: number, end: number, depth: number, into: T, field: FieldReader) => {
    const size = length(wireType, end);
    return message(into, pos + size, depth + 1, field);
  };

  const timestamp = (wireType: number, end: number, depth: number, into?: Timestamp): Timestamp => {
    const time: Timestamp = into ?? { $typeName: "google.protobuf.Timestamp", seconds: 0n, nanos: 0 };
    return embedded(wireType, end, depth, time, (no, type, inner) => {
      if (no !== 1 && no !== 2) return false;
      const [lo, hi] = scalar(type, inner);
      // int64 seconds: the 64 bits as a signed bigint; int32 nanos: the low 32 bits, signed.
      if (no === 1) time.seconds = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      else time.nanos = lo | 0;
      return true;
    });
  };

  const audience = (wireType: number, end: number, depth: number, into?: Publication_Audience): Publication_Audience => {
    const target: Publication_Audience = into ?? {
      $typeName: "smartcore.traits.Publication.Audience",
      name: "",
      receipt: 0,
      receiptRejectedReason: "",
    };
    return embedded(wireType, end, depth, target, (no, type, inner, nested) => {
      if (no === 1) target.name = string(type, inner);
      // An open (proto3) enum: any int32, as protobuf-es reads it.
      else if (no === 2) target.receipt = scalar(type, inner)[0] | 0;
      else if (no === 3) target.receiptRejectedReason = string(type, inner);
      else if (no === 4) target.receiptTime = timestamp(type, inner, nested, target.receiptTime);
      else return false;
      return true;
    });
  };

  const publication: Publication = {
    $typeName: "smartcore.traits.Publication",
    id: "",
    version: "",
    body: new Uint8Array(0),
    mediaType: "",
  };
  return message(publication, buf.length, 1, (no, type, end, depth) => {
    if (no === 1) publication.id = string(type, end);
    else if (no === 2) publication.version = string(type, end);
    else if (no === 3) publication.body = bytes(type, end);
    else if (no === 4) publication.audience = audience(type, end, depth, publication.audience);
    else if (no === 5) publication.publishTime = timestamp(type, end, depth, publication.publishTime);
    else if (no === 6) publication.mediaType = string(type, end);
    else return false;
    return true;
  });
}

/** Bytes that are not a valid Publication; `offset` is where decoding stopped. */
export class PublicationDecodeError extends Error {
  override readonly name = "PublicationDecodeError";

  constructor(
    reason: string,
    readonly offset: number,
  ) {
    super(`cannot decode publication: ${reason} (byte ${offset})`);
  }
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;
// Why bytes do not decode, besides a wrong wire type, an over-long varint
// and bad UTF-8: one reason each, the error's offset says where.
/** A varint, a length-delimited or a fixed-size field (or a tag) that runs past its message (or the bytes). */
const PAST_END = "field runs past the end of its message";
/** Field number 0, wire type 6 or 7, or a tag over 32 bits. */
const ILLEGAL_TAG = "illegal tag";
/** An end-group tag without its group, or another group's. */
const UNBALANCED_GROUP = "unbalanced group";
/** protobuf-es's default recursion limit; only groups in unknown fields can nest this deep. */
const MAX_DEPTH = 100;

type UnknownFields = NonNullable<Message["$unknown"]>;
/** Reads known field `no` whose value ends by `end`; false: not a known field, keep it as unknown. */
type FieldReader = (no: number, wireType: number, end: number, depth: number) => boolean;

let utf8: TextDecoder | undefined;
