import { describe, expect, it } from "vitest";
import { addressParts } from "./sign-in-panel.js";

describe("the sign-in address's line breaks", () => {
  it("fall after the origin and after each / of the path, before a query, never inside a name", () => {
    expect(addressParts("http://kiosk.site.example:8700/realms/smartcore/device")).toEqual([
      "http://kiosk.site.example:8700",
      "/",
      "realms/",
      "smartcore/",
      "device",
    ]);
    expect(addressParts("https://id.example/device?user_code=WDJB-MJHT")).toEqual(["https://id.example", "/", "device", "?user_code=WDJB-MJHT"]);
    expect(addressParts("https://id.example").join("")).toBe("https://id.example");
  });
});
