import { describe, expect, it } from "vitest";
import { formatBytes } from "./byte-size.js";

describe("sizes, one rule everywhere", () => {
  it("never says bytes: below 1 kB it is a fraction of a kB, and a non-empty size is never 0", () => {
    expect(formatBytes(543, "en")).toBe("0.5 kB");
    expect(formatBytes(12, "en")).toBe("0.1 kB");
    expect(formatBytes(1, "en")).toBe("0.1 kB");
    expect(formatBytes(0, "en")).toBe("0 kB");
  });

  it("one decimal below 10, whole numbers from 10", () => {
    expect(formatBytes(3_150_000, "en")).toBe("3.2 MB");
    expect(formatBytes(9_940, "en")).toBe("9.9 kB");
    expect(formatBytes(9_960, "en")).toBe("10 kB");
    expect(formatBytes(543_210, "en")).toBe("543 kB");
    expect(formatBytes(2_000, "en")).toBe("2 kB");
  });

  it("moves to the next unit when the rounded number would read 1,000", () => {
    expect(formatBytes(999_499, "en")).toBe("999 kB");
    expect(formatBytes(999_600, "en")).toBe("1 MB");
    expect(formatBytes(12_400_000_000, "en")).toBe("12 GB");
    expect(formatBytes(5e18, "en")).toBe("5,000 PB");
  });

  it("follows the viewer's locale", () => {
    expect(formatBytes(3_150_000, "de-DE")).toBe("3,2 MB");
  });

  it("says unknown when the browser does not tell", () => {
    expect(formatBytes(undefined)).toBe("unknown");
    expect(formatBytes(Number.NaN)).toBe("unknown");
  });
});
