import { describe, expect, it } from "vitest";
import { CACHE_ERROR_CODES } from "../core/cache-error-code.js";
import type { CacheErrorCode } from "../entries/index.js";
import { describeError } from "./error-text.js";

describe("errors in plain words, the code beside", () => {
  it("a request that never reached the server reads 'Cannot reach the server', in every browser's wording", () => {
    for (const message of ["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed", "fetch failed", "network error"]) {
      expect(describeError({ code: "unknown", message })).toEqual({
        text: "Cannot reach the server (unavailable)",
        code: "unavailable",
        raw: `unknown: ${message}`,
      });
    }
  });

  it("an unknown error that is not a network failure stays unknown", () => {
    expect(describeError({ code: "unknown", message: "boom" }).text).toBe("The server or the network failed in an unexpected way (unknown)");
  });

  it("Connect codes read as sentences", () => {
    expect(describeError({ code: "unavailable", message: "HTTP 503" }).text).toBe("Cannot reach the server (unavailable)");
    expect(describeError({ code: "permission_denied", message: "no" }).text).toBe("This screen is not allowed to see this (permission_denied)");
    expect(describeError({ code: "deadline_exceeded", message: "" }).text).toBe("The server took too long to answer (deadline_exceeded)");
    expect(describeError({ code: "unimplemented", message: "HTTP 404" }).text).toBe("The server does not offer this service (unimplemented)");
    expect(describeError({ code: "stream-stalled", message: "" }).text).toBe("The live connection stopped delivering (stream-stalled)");
    expect(describeError({ code: "storage-quota-exceeded", message: "" }).text).toBe("This device's storage for the site is full (storage-quota-exceeded)");
  });

  it("every code the cache can report has its own sentence", () => {
    const sentences = new Set(CACHE_ERROR_CODES.map((code) => describeError({ code, message: "" }).text.replace(/ \(.*\)$/, "")));
    expect(sentences.size).toBe(CACHE_ERROR_CODES.length);
  });

  it("keeps what was reported word for word; a code it does not know reads as unknown's sentence, with its own code", () => {
    expect(describeError({ code: "internal", message: "disk on fire" }).raw).toBe("internal: disk on fire");
    expect(describeError({ code: "constructor" as CacheErrorCode, message: "" }).text).toBe(
      "The server or the network failed in an unexpected way (constructor)",
    );
  });
});
