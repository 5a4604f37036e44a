/**
 * The one definition of "the same value", on encoded publications: two
 * values are the same when their binary protobuf is byte for byte the same
 * (version, body, metadata and unknown fields included). The core compares
 * what it encodes (`samePublication`); pages compare the bytes they receive
 * and read, without loading the protobuf runtime.
 */
export function sameEncoding(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
