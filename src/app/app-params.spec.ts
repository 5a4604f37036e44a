import { describe, expect, it } from "vitest";
import { readAppParams } from "./app-params.js";

describe("readAppParams: the poll interval", () => {
  it("?pollS= sets the client's poll interval in seconds", () => {
    expect(readAppParams("?ids=a&pollS=30", "https://site").tuning).toEqual({ pollIntervalMs: 30_000 });
  });

  it("no poll setting leaves the default to the engine", () => {
    expect(readAppParams("?ids=a", "https://site").tuning).toBeUndefined();
  });

  it("a value that is not a positive number is ignored", () => {
    expect(readAppParams("?ids=a&pollS=soon", "https://site").tuning).toBeUndefined();
    expect(readAppParams("?ids=a&pollS=-5", "https://site").tuning).toBeUndefined();
  });

  it("pollMs (tests) wins over pollS", () => {
    expect(readAppParams("?pollS=30&pollMs=500", "https://site").tuning).toEqual({ pollIntervalMs: 500 });
  });
});
