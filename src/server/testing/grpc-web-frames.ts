/**
 * gRPC-Web framing written out by hand, for tests that prove the wire without
 * Connect: each frame is a flag byte, a big-endian 32-bit length, then the
 * payload; flag 0x80 marks the trailers frame, whose payload is HTTP-style
 * header lines (`grpc-status: 0`).
 */
export function frame(payload: Uint8Array, flag = 0x00): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length, false);
  out.set(payload, 5);
  return out;
}

export interface Frame {
  readonly flag: number;
  readonly payload: Uint8Array;
}

/** Splits a response body into frames; throws on a truncated frame. */
export function parseFrames(body: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < 5) throw new Error("truncated frame header");
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0, false);
    if (body.length - at - 5 < length) throw new Error("truncated frame payload");
    frames.push({ flag: body[at]!, payload: body.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return frames;
}

/** The trailers of a response: from its trailers frame, else from its headers (a trailers-only response). */
export function trailersOf(headers: Headers, frames: readonly Frame[]): Map<string, string> {
  const trailers = new Map<string, string>();
  const last = frames.find((f) => f.flag & 0x80);
  if (last !== undefined) {
    for (const line of new TextDecoder().decode(last.payload).split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  } else {
    for (const name of ["grpc-status", "grpc-message"]) {
      const value = headers.get(name);
      if (value !== null) trailers.set(name, value);
    }
  }
  return trailers;
}
