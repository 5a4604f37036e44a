import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { decodePageToken, effectivePageSize, encodePageToken } from "./page-token.js";

describe("page tokens and sizes", () => {
  it("round-trips the last id, and reads the empty token as the first page", () => {
    expect(decodePageToken(encodePageToken("zone/ä 1"))).toBe("zone/ä 1");
    expect(decodePageToken("")).toBe("");
  });

  it("rejects tokens it did not issue with INVALID_ARGUMENT", () => {
    for (const token of ["not base64 !", Buffer.from("[]").toString("base64url"), Buffer.from('{"after":3}').toString("base64url")]) {
      expect(() => decodePageToken(token)).toThrow(ConnectError);
      try {
        decodePageToken(token);
      } catch (err) {
        expect(ConnectError.from(err).code).toBe(Code.InvalidArgument);
      }
    }
  });

  it("uses 50 for 0, lowers sizes above 1000 to 1000, and refuses negative sizes", () => {
    expect(effectivePageSize(0)).toBe(50);
    expect(effectivePageSize(7)).toBe(7);
    expect(effectivePageSize(1000)).toBe(1000);
    expect(effectivePageSize(5000)).toBe(1000);
    expect(() => effectivePageSize(-1)).toThrow(ConnectError);
  });
});
