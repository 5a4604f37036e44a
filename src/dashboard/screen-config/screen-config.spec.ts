import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCREEN_CONFIG, parseScreenConfig, SCREEN_CONFIG_SCHEMA, type ScreenConfig } from "./screen-config.js";

const ok = (text: string): ScreenConfig => {
  const result = parseScreenConfig(text);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.config;
};
const reasonOf = (text: string): string => {
  const result = parseScreenConfig(text);
  if (result.ok) throw new Error("accepted");
  return result.reason;
};

describe("parseScreenConfig", () => {
  it("reads the demo's lobby display (its extra keys ignored)", () => {
    const config = ok(readFileSync(new URL("../../dev/seed/screens/lobby-display.json", import.meta.url), "utf8"));
    expect(config).toEqual({
      ...DEFAULT_SCREEN_CONFIG,
      title: "Lobby display",
      location: "Ground floor, main entrance",
      show: ["announcements", "site-config"],
      pageMs: 20_000,
      partMs: 20_000,
    });
  });

  it("gives defaults for whatever is missing", () => {
    expect(ok("{}")).toEqual(DEFAULT_SCREEN_CONFIG);
    expect(ok('{"pageSeconds": 7}')).toMatchObject({ pageMs: 7_000, partMs: 7_000 });
  });

  it("reads every key of the schema", () => {
    const config = ok(
      JSON.stringify({
        title: "Lobby",
        show: ["a", "b"],
        pageSeconds: 10,
        partSeconds: 2.5,
        columns: 2,
        theme: "dark",
        reload: "r1",
        clearCache: "c1",
        signOut: "s1",
      }),
    );
    expect(config).toEqual({ title: "Lobby", location: undefined, show: ["a", "b"], pageMs: 10_000, partMs: 2_500, columns: 2, theme: "dark", reload: "r1", clearCache: "c1", signOut: "s1" });
  });

  it.each([
    ["{not json", /^not valid JSON: /],
    ["[1,2]", /^not a JSON object$/],
    ['"text"', /^not a JSON object$/],
    ['{"pageSeconds": "fast"}', /^"pageSeconds" must be a number of seconds from 1 to 3600 \(got "fast"\)$/],
    ['{"pageSeconds": 0}', /^"pageSeconds" must be a number/],
    ['{"partSeconds": 99999}', /^"partSeconds" must be a number/],
    ['{"show": "announcements"}', /^"show" must be a list of publication ids/],
    ['{"show": ["a", 3]}', /^"show" must list publication ids as non-empty texts \(got 3\)$/],
    ['{"show": ["a", "a"]}', /^"show" lists "a" twice$/],
    ['{"columns": 2.5}', /^"columns" must be a whole number from 1 to 4/],
    ['{"columns": 9}', /^"columns" must be a whole number/],
    ['{"theme": "pink"}', /^"theme" must be one of "light", "dark", "auto" \(got "pink"\)$/],
    ['{"title": ""}', /^"title" must be a non-empty text/],
    ['{"reload": 5}', /^"reload" must be a text/],
  ])("refuses %s with a reason", (text, reason) => {
    expect(reasonOf(text)).toMatch(reason);
  });

  it("keys are data: a document with constructor or __proto__ keys is read like any other", () => {
    expect(ok('{"__proto__": {"pageSeconds": 3}, "constructor": 1}')).toEqual(DEFAULT_SCREEN_CONFIG);
    expect(ok('{"toString": "x", "show": ["constructor"]}').show).toEqual(["constructor"]);
  });

  it("keeps reasons short", () => {
    expect(reasonOf(JSON.stringify({ title: "x".repeat(5_000) })).length).toBeLessThanOrEqual(200);
  });
});

describe("SCREEN_CONFIG_SCHEMA", () => {
  it("is what docs/screen-config.schema.json says", () => {
    const documented: unknown = JSON.parse(readFileSync(new URL("../../../docs/screen-config.schema.json", import.meta.url), "utf8"));
    expect(documented).toEqual(JSON.parse(JSON.stringify(SCREEN_CONFIG_SCHEMA)));
  });

  it("names every key the parser reads", () => {
    const keys = Object.keys(SCREEN_CONFIG_SCHEMA.properties).sort();
    expect(keys).toEqual(["clearCache", "columns", "location", "pageSeconds", "partSeconds", "reload", "show", "signOut", "theme", "title"]);
  });
});
