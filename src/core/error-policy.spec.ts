import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { classifyError, toCacheError } from "./error-policy.js";

describe("classifyError", () => {
  it.each([
    [Code.Unknown, "transient"], // connect-web's "Failed to fetch"
    [Code.Unavailable, "transient"],
    [Code.DeadlineExceeded, "transient"],
    [Code.Internal, "transient"],
    [Code.ResourceExhausted, "transient"],
    [Code.Unauthenticated, "auth"],
    [Code.PermissionDenied, "auth"],
    [Code.InvalidArgument, "permanent"],
    [Code.NotFound, "permanent"],
  ] as const)("code %s is %s", (code, expected) => {
    expect(classifyError(new ConnectError("x", code))).toBe(expected);
  });

  it("anything that is not a ConnectError is transient: backing off is always safe", () => {
    expect(classifyError(new TypeError("Failed to fetch"))).toBe("transient");
    expect(classifyError("odd")).toBe("transient");
  });
});

describe("toCacheError", () => {
  it("keeps the code name and the raw message, nothing else", () => {
    const err = new ConnectError("token expired", Code.PermissionDenied, { authorization: "Bearer secret" });
    const reported = toCacheError(err, 42);
    expect(reported).toEqual({ code: "permission_denied", message: "token expired", at: 42 });
    expect(JSON.stringify(reported)).not.toContain("secret");
  });

  it("reports other errors as unknown", () => {
    expect(toCacheError(new Error("boom"), 1)).toEqual({ code: "unknown", message: "boom", at: 1 });
  });
});
