import { describe, expect, it } from "vitest";
import { scopeKey } from "./storage-scope.js";

describe("scopeKey", () => {
  it("keeps separators inside parts from making two scopes collide", () => {
    expect(scopeKey({ server: "a|b", device: "c" })).not.toBe(scopeKey({ server: "a", device: "b|c" }));
    expect(scopeKey({ server: 'a","b', device: "c" })).not.toBe(scopeKey({ server: "a", device: 'b","c' }));
    expect(scopeKey({ server: "s", device: "d", partition: "p" })).not.toBe(scopeKey({ server: "s", device: "d,p" }));
  });

  it("tells servers, devices and partitions apart", () => {
    const keys = new Set([
      scopeKey({ server: "https://a", device: "d" }),
      scopeKey({ server: "https://b", device: "d" }),
      scopeKey({ server: "https://a", device: "e" }),
      scopeKey({ server: "https://a", device: "" }),
      scopeKey({ server: "https://a", device: "d", partition: "alice" }),
      scopeKey({ server: "https://a", device: "d", partition: "bob" }),
    ]);
    expect(keys.size).toBe(6);
  });

  it("treats an empty partition as no partition", () => {
    expect(scopeKey({ server: "s", device: "d", partition: "" })).toBe(scopeKey({ server: "s", device: "d" }));
    expect(scopeKey({ server: "s", device: "d", partition: undefined })).toBe(scopeKey({ server: "s", device: "d" }));
  });

  it("is a JSON array of the parts", () => {
    expect(JSON.parse(scopeKey({ server: "s", device: "d", partition: "p" }))).toEqual(["s", "d", "p"]);
  });
});
