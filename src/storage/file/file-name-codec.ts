/**
 * The Go `pubcache` file storage names each file after the publication id,
 * with every byte outside `A–Z a–z - _ space` written as `$` and two
 * upper-case hex digits of its UTF-8 encoding (so `a1.b` → `a$31$2Eb`).
 * Shared by the development server's data directory and the file storages,
 * so both read each other's directories.
 */

const PLAIN = /^[A-Za-z\-_ ]$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeFileName(id: string): string {
  let out = "";
  for (const byte of encoder.encode(id)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && PLAIN.test(ch) ? ch : "$" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * The id a file name stands for, or `undefined` when the name is not one this
 * codec writes (stray files, temp files, lower-case hex, invalid UTF-8).
 */
export function decodeFileName(name: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < name.length; ) {
    const ch = name[i]!;
    if (ch === "$") {
      const hex = name.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      const byte = parseInt(hex, 16);
      // A byte the encoder writes plainly is never escaped: reject, so that
      // every id has exactly one file name.
      if (byte < 0x80 && PLAIN.test(String.fromCharCode(byte))) return undefined;
      bytes.push(byte);
      i += 3;
    } else if (PLAIN.test(ch)) {
      bytes.push(ch.charCodeAt(0));
      i += 1;
    } else {
      return undefined;
    }
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
