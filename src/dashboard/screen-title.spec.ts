import { describe, expect, it } from "vitest";
import { fallbackTitle } from "./screen-title.js";

describe("the header without a site publication", () => {
  it("names the app and says which device the data is from and how much", () => {
    expect(fallbackTitle({ device: "harbour-house", server: "http://127.0.0.1:8700", publications: 12 })).toEqual({
      name: "Building dashboard",
      detail: "harbour-house · 12 publications",
    });
  });

  it("names the server's host when no device is given; one publication is singular", () => {
    expect(fallbackTitle({ device: "", server: "https://bms.example:8443/api", publications: 1 })).toEqual({
      name: "Building dashboard",
      detail: "bms.example:8443 · 1 publication",
    });
  });

  it("says only the count when the server is not a URL", () => {
    expect(fallbackTitle({ device: " ", server: "not a url", publications: 3 }).detail).toBe("3 publications");
  });
});
