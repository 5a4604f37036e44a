import { describe, expect, it } from "vitest";
import { parseLeaseMessage } from "./lease-messages.js";

describe("lease messages", () => {
  it("reads held and released announcements", () => {
    expect(parseLeaseMessage({ v: 1, type: "held", holder: "a", expiresAt: 5 })).toEqual({ v: 1, type: "held", holder: "a", expiresAt: 5 });
    expect(parseLeaseMessage({ v: 1, type: "released", holder: "a", extra: true })).toEqual({ v: 1, type: "released", holder: "a" });
  });

  it("drops anything else: another version, a missing or bad field, an unknown type", () => {
    for (const data of [
      null,
      "held",
      { v: 2, type: "held", holder: "a", expiresAt: 5 },
      { v: 1, type: "held", holder: "a" },
      { v: 1, type: "held", holder: "a", expiresAt: Number.NaN },
      { v: 1, type: "held", holder: 7, expiresAt: 5 },
      { v: 1, type: "released", holder: "x".repeat(201) },
      { v: 1, type: "stolen", holder: "a" },
    ]) {
      expect(parseLeaseMessage(data)).toBeUndefined();
    }
  });
});
