import { describe, expect, it } from "vitest";
import { parseAuthMessage } from "./auth-channel.js";

describe("tab-to-tab messages", () => {
  const token = { v: 1, type: "token", accessToken: "a", issuedAt: 1, expiresAt: 2, refreshExpiresAt: undefined, generation: 3 };

  it("accepts the four well-formed messages and drops extra fields", () => {
    expect(parseAuthMessage({ v: 1, type: "hello", extra: "x" })).toEqual({ v: 1, type: "hello" });
    expect(parseAuthMessage(token)).toEqual(token);
    expect(parseAuthMessage({ v: 1, type: "signed-out" })).toEqual({ v: 1, type: "signed-out" });
    const code = { v: 1, type: "sign-in", userCode: "WDJB-MJHT", verificationUri: "http://idp/device", verificationUriComplete: undefined, expiresAt: 5 };
    expect(parseAuthMessage(code)).toEqual(code);
  });

  it.each([
    ["another version", { ...token, v: 2 }],
    ["an unknown type", { v: 1, type: "steal" }],
    ["an empty token", { ...token, accessToken: "" }],
    ["an expiry before issue", { ...token, expiresAt: 0 }],
    ["a fractional generation", { ...token, generation: 1.5 }],
    ["a script URL", { v: 1, type: "sign-in", userCode: "A", verificationUri: "javascript:x", expiresAt: 1 }],
    ["null", null],
    ["text", "token"],
  ])("drops %s", (_, raw) => {
    expect(parseAuthMessage(raw)).toBeUndefined();
  });
});
