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
 * checks it against the generated schema.
 */
export function decodePublication(bytes: Uint8Array): Publication {
  const reader = new Reader(bytes);
  const publication: Publication = {
    $typeName: "smartcore.traits.Publication",
    id: "",
    version: "",
    body: new Uint8Array(0),
    mediaType: "",
  };
  reader.message(publication, bytes.length, 1, (no, wireType, end, depth) => {
    switch (no) {
      case 1:
        publication.id = reader.string(wireType, end);
        return true;
      case 2:
        publication.version = reader.string(wireType, end);
        return true;
      case 3:
        publication.body = reader.bytes(wireType, end);
        return true;
      case 4:
        publication.audience = readAudience(reader, wireType, end, depth, publication.audience);
        return true;
      case 5:
        publication.publishTime = readTimestamp(reader, wireType, end, depth, publication.publishTime);
        return true;
      case 6:
        publication.mediaType = reader.string(wireType, end);
        return true;
    }
    return false;
  });
  return publication;
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

function readAudience(reader: Reader, wireType: number, end: number, depth: number, into?: Publication_Audience): Publication_Audience {
  const audience: Publication_Audience = into ?? {
    $typeName: "smartcore.traits.Publication.Audience",
    name: "",
    receipt: 0,
    receiptRejectedReason: "",
  };
  reader.message(audience, reader.nestedEnd(wireType, end), depth + 1, (no, type, inner, nested) => {
    switch (no) {
      case 1:
        audience.name = reader.string(type, inner);
        return true;
      case 2:
        // An open (proto3) enum: any int32, as protobuf-es reads it.
        audience.receipt = reader.varint(type, inner)[0] | 0;
        return true;
      case 3:
        audience.receiptRejectedReason = reader.string(type, inner);
        return true;
      case 4:
        audience.receiptTime = readTimestamp(reader, type, inner, nested, audience.receiptTime);
        return true;
    }
    return false;
  });
  return audience;
}

function readTimestamp(reader: Reader, wireType: number, end: number, depth: number, into?: Timestamp): Timestamp {
  const timestamp: Timestamp = into ?? { $typeName: "google.protobuf.Timestamp", seconds: 0n, nanos: 0 };
  reader.message(timestamp, reader.nestedEnd(wireType, end), depth + 1, (no, type, inner) => {
    if (no !== 1 && no !== 2) return false;
    const [lo, hi] = reader.varint(type, inner);
    // int64 seconds: the 64 bits as a signed bigint; int32 nanos: the low 32 bits, signed.
    if (no === 1) timestamp.seconds = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    else timestamp.nanos = lo | 0;
    return true;
  });
  return timestamp;
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;
/** protobuf-es's default recursion limit; only groups in unknown fields can nest this deep. */
const MAX_DEPTH = 100;

type UnknownFields = NonNullable<Message["$unknown"]>;
/** Reads known field `no` whose value ends by `end`; false: not a known field, keep it as unknown. */
type FieldReader = (no: number, wireType: number, end: number, depth: number) => boolean;

/** A cursor over the bytes; every read is bounded by the end of the message it is in. */
class Reader {
  private pos = 0;
  private utf8: TextDecoder | undefined;

  constructor(private readonly buf: Uint8Array) {}

  /** Reads fields up to `end`, known ones through `field`, the others into `target.$unknown`. */
  message(target: { $unknown?: UnknownFields | undefined }, end: number, depth: number, field: FieldReader): void {
    if (depth > MAX_DEPTH) this.fail("nested too deep");
    const unknown: UnknownFields = target.$unknown ?? [];
    while (this.pos < end) {
      const [no, wireType] = this.tag(end);
      if (field(no, wireType, end, depth)) continue;
      const start = this.pos;
      this.skip(no, wireType, end, MAX_DEPTH - depth);
      unknown.push({ no, wireType, data: this.buf.subarray(start, this.pos) });
    }
    if (unknown.length > 0) target.$unknown = unknown;
  }

  /** A varint as its low and high 32 bits, checking the field's wire type; at most 10 bytes. */
  varint(wireType: number, end: number): [number, number] {
    this.expect(wireType, VARINT);
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail("truncated varint");
      const byte = this.buf[this.pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >> 4;
      } else hi |= bits << (7 * i - 32);
      if ((byte & 0x80) === 0) return [lo, hi];
    }
    return this.fail("varint longer than 10 bytes");
  }

  bytes(wireType: number, end: number): Uint8Array {
    const length = this.length(wireType, end);
    return this.buf.subarray(this.pos, (this.pos += length));
  }

  string(wireType: number, end: number): string {
    const start = this.pos;
    const bytes = this.bytes(wireType, end);
    try {
      this.utf8 ??= new TextDecoder("utf-8", { fatal: true });
      return this.utf8.decode(bytes);
    } catch {
      return this.fail("string is not UTF-8", start);
    }
  }

  /** Where the embedded message that starts here ends. */
  nestedEnd(wireType: number, end: number): number {
    const length = this.length(wireType, end);
    return this.pos + length;
  }

  private tag(end: number): [number, number] {
    const start = this.pos;
    const [tag] = this.varint(VARINT, end);
    const size = this.pos - start;
    if (size > 5 || (size === 5 && this.buf[this.pos - 1]! > 0x0f)) this.fail("tag overflows uint32", start);
    const no = tag >>> 3;
    const wireType = tag & 7;
    if (no === 0 || wireType > FIXED32) this.fail(`illegal tag: field ${no}, wire type ${wireType}`, start);
    return [no, wireType];
  }

  private length(wireType: number, end: number): number {
    this.expect(wireType, LENGTH_DELIMITED);
    const length = this.varint(VARINT, end)[0] >>> 0;
    if (length > end - this.pos) this.fail("length runs past the end of its message");
    return length;
  }

  private skip(no: number, wireType: number, end: number, budget: number): void {
    switch (wireType) {
      case VARINT:
        this.varint(wireType, end);
        return;
      case FIXED64:
      case FIXED32: {
        const size = wireType === FIXED64 ? 8 : 4;
        if (size > end - this.pos) this.fail("truncated fixed-size field");
        this.pos += size;
        return;
      }
      case LENGTH_DELIMITED: {
        const length = this.length(wireType, end);
        this.pos += length;
        return;
      }
      case START_GROUP:
        if (budget <= 0) this.fail("groups nested too deep");
        for (;;) {
          const [innerNo, innerType] = this.tag(end);
          if (innerType === END_GROUP) {
            if (innerNo !== no) this.fail(`group ${no} ended by ${innerNo}`);
            return;
          }
          this.skip(innerNo, innerType, end, budget - 1);
        }
      default:
        this.fail("end-group tag without a group");
    }
  }

  private expect(wireType: number, expected: number): void {
    if (wireType !== expected) this.fail(`wire type ${wireType} where ${expected} belongs`);
  }

  private fail(reason: string, at = this.pos): never {
    throw new PublicationDecodeError(reason, at);
  }
}
