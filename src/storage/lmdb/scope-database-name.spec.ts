import { describe, expect, it } from "vitest";
import { StorageError } from "../../core/storage-error.js";
import { MAX_SCOPE_NAME_BYTES, scopeDatabaseName, scopeFromDatabaseName } from "./scope-database-name.js";

describe("scopeDatabaseName", () => {
  it("is the scope key behind a prefix, readable in the file", () => {
    expect(scopeDatabaseName({ server: "https://bms.example", device: "site/floor-3" })).toBe(
      'scope:["https://bms.example","site/floor-3"]',
    );
    expect(scopeDatabaseName({ server: "s", device: "d", partition: "alice" })).toBe('scope:["s","d","alice"]');
  });

  it("gives different scopes different names, whatever their characters", () => {
    const names = new Set(
      [
        { server: "a|b", device: "c" },
        { server: "a", device: "b|c" },
        { server: 'a","b', device: "c" },
        { server: "a", device: 'b","c' },
        { server: "s", device: "d", partition: "p" },
        { server: "s", device: "d,p" },
        { server: "s", device: "d" },
      ].map(scopeDatabaseName),
    );
    expect(names.size).toBe(7);
  });

  it("holds no NUL, control character or lone surrogate (lmdb-js passes names as C strings)", () => {
    const name = scopeDatabaseName({ server: "a\u0000b\u0001", device: "\uD800", partition: "\n" });
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    expect(name).not.toMatch(/[\u0000-\u001f]/);
    expect(name).not.toMatch(/[\uD800-\uDFFF]/);
    expect(scopeFromDatabaseName(name)).toEqual({ server: "a\u0000b\u0001", device: "\uD800", partition: "\n" });
  });

  it("rejects a scope whose name would pass LMDB's limit as invalid", () => {
    const fits = { server: "s", device: "d".repeat(MAX_SCOPE_NAME_BYTES - 'scope:["s",""]'.length) };
    expect(new TextEncoder().encode(scopeDatabaseName(fits)).length).toBe(MAX_SCOPE_NAME_BYTES);
    let error: unknown;
    try {
      scopeDatabaseName({ ...fits, device: `${fits.device}d` });
    } catch (err) {
      error = err;
    }
    expect(StorageError.is(error, "invalid")).toBe(true);
    // Counted in UTF-8 bytes, not characters.
    expect(() => scopeDatabaseName({ server: "s", device: "温".repeat(700) })).toThrow(StorageError);
  });
});

describe("scopeFromDatabaseName", () => {
  it("reads every name back into its scope", () => {
    for (const scope of [
      { server: "https://bms.example", device: "site/floor-3" },
      { server: "s", device: "d", partition: "alice" },
      { server: "", device: "" },
    ]) {
      expect(scopeFromDatabaseName(scopeDatabaseName(scope))).toEqual(scope);
    }
  });

  it("ignores names this module does not write", () => {
    for (const name of ["users", "scope:", "scope:not json", 'scope:["only-one"]', 'scope:["s","d","p","extra"]', "scope:[1,2]", 'scope:["s","d",""]', 'scope:[ "s","d"]', 'other:["s","d"]']) {
      expect(scopeFromDatabaseName(name)).toBeUndefined();
    }
  });
});
