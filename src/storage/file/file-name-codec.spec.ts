import { describe, expect, it } from "vitest";
import { decodeFileName, encodeFileName } from "./file-name-codec.js";

describe("file name codec (Go pubcache naming)", () => {
  it("escapes every byte outside A-Z a-z - _ space, as the Go storage does", () => {
    expect(encodeFileName("a1.b")).toBe("a$31$2Eb");
    expect(encodeFileName("Hello World-_")).toBe("Hello World-_");
    expect(encodeFileName("publicationRoundTrip!:$@.-_")).toBe(
      "publicationRoundTrip$21$3A$24$40$2E-_",
    );
    expect(encodeFileName("é")).toBe("$C3$A9");
    expect(encodeFileName("a/b")).toBe("a$2Fb");
  });

  it("decodes what it encodes", () => {
    for (const id of ["a1.b", "publicationRoundTrip!:$@.-_", "ünïcødé ✓", "../etc/passwd", "x"]) {
      expect(decodeFileName(encodeFileName(id))).toBe(id);
    }
  });

  it("rejects names it would never write", () => {
    expect(decodeFileName("a.b")).toBeUndefined(); // '.' must be escaped
    expect(decodeFileName("a$2eb")).toBeUndefined(); // lower-case hex
    expect(decodeFileName("a$2")).toBeUndefined(); // truncated escape
    expect(decodeFileName("$61")).toBeUndefined(); // 'a' escaped needlessly
    expect(decodeFileName("$FF")).toBeUndefined(); // invalid UTF-8
    expect(decodeFileName(".tmp-123")).toBeUndefined();
  });
});
