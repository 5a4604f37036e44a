import { describe, expect, it, vi } from "vitest";

const viewFailure = vi.hoisted(() => ({ error: undefined as Error | undefined }));
vi.mock("./json-view.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./json-view.js")>();
  return {
    ...real,
    toJsonView: (...args: Parameters<typeof real.toJsonView>) => {
      if (viewFailure.error) throw viewFailure.error;
      return real.toJsonView(...args);
    },
  };
});

const { parseJsonBody } = await import("./json-body.js");

describe("a JSON body: a view, or why not", () => {
  it("every key a document can hold gives a view", () => {
    for (const body of ['{"constructor":{"a":1}}', '{"__proto__":{"a":1},"b":2}', '{"toString":1,"hasOwnProperty":2,"valueOf":{"x":1}}']) {
      const parsed = parseJsonBody(body);
      expect(parsed.view, body).toMatchObject({ kind: "fields" });
      expect(parsed.problem, body).toBeUndefined();
    }
  });

  it("the building comes from the document's own keys only", () => {
    expect(parseJsonBody('{"building":"Harbour House","address":"1 Quay"}').site).toEqual({ name: "Harbour House", address: "1 Quay" });
    expect(parseJsonBody('{"__proto__":{"building":"Nowhere"}}').site).toBeUndefined();
  });

  it("text that is not JSON: no view, and the parser's reason", () => {
    const parsed = parseJsonBody('{"rules": [1, 2,');
    expect(parsed.view).toBeUndefined();
    expect(parsed.problem).toMatch(/^not valid JSON: /);
  });

  it("valid JSON whose view fails: no view, and why, instead of an exception", () => {
    viewFailure.error = new RangeError("Maximum call stack size exceeded");
    try {
      expect(parseJsonBody('{"a":1}')).toEqual({ view: undefined, site: undefined, problem: "could not be read: Maximum call stack size exceeded" });
    } finally {
      viewFailure.error = undefined;
    }
  });

  it("a body nested 100,000 levels deep is shown (its top), not an error", () => {
    const parsed = parseJsonBody(`{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(parsed.problem).toBeUndefined();
    expect(parsed.view).toMatchObject({ kind: "fields", fields: [{ label: "Deep" }] });
  });
});
