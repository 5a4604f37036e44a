import { describe, expect, it } from "vitest";
import { titleFor } from "./titles.js";

describe("titleFor", () => {
  it("names the demo's publications, and makes other ids readable", () => {
    expect(titleFor("site-config")).toBe("Site");
    expect(titleFor("zone-temperatures")).toBe("Zone temperatures");
  });

  it("reads Smart Core's <device>:<what> ids as people say them", () => {
    expect(titleFor("lobby-display:config")).toBe("Lobby display configuration");
    expect(titleFor("lobby-display:opening-hours")).toBe("Lobby display opening hours");
  });
});

describe("titles: ids are data", () => {
  it("an id named after an Object.prototype member is made readable like any other", () => {
    expect(titleFor("constructor")).toBe("Constructor");
    expect(titleFor("toString")).toBe("To string");
    expect(titleFor("__proto__")).toBe("Proto");
    expect(titleFor("lobby:constructor")).toBe("Lobby constructor");
  });
});
