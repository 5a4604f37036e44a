import { describe, expect, it } from "vitest";
import { applyJitter, createBackoff } from "./backoff.js";
import { seededRandom } from "./random.js";

const noRandom = () => {
  throw new Error("jitter 'none' must not draw random numbers");
};

describe("createBackoff", () => {
  it("starts at the minimum and doubles up to the cap", () => {
    const backoff = createBackoff({ minMs: 10_000, maxMs: 80_000, jitter: "none" }, noRandom);
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([10_000, 20_000, 40_000, 80_000, 80_000, 80_000]);
  });

  it("defaults to 10 s doubling to 30 s", () => {
    const backoff = createBackoff({ jitter: "none" }, noRandom);
    expect(Array.from({ length: 5 }, () => backoff.next())).toEqual([10_000, 20_000, 30_000, 30_000, 30_000]);
  });

  it("by default every wait, however long the outage, is under 52.5 s (30 s cap, ±75 %)", () => {
    const backoff = createBackoff({}, seededRandom(5));
    const waits = Array.from({ length: 500 }, () => backoff.next());
    expect(Math.max(...waits)).toBeLessThan(52_500);
    // At the cap the waits still spread over the whole window, not in lock-step.
    const atCap = waits.slice(2);
    expect(Math.min(...atCap)).toBeLessThan(8_000);
    expect(Math.max(...atCap)).toBeGreaterThan(52_000);
  });

  it("a cap that is not a doubling of the minimum is still reached exactly", () => {
    const backoff = createBackoff({ minMs: 3, maxMs: 10, jitter: "none" }, noRandom);
    expect(Array.from({ length: 4 }, () => backoff.next())).toEqual([3, 6, 10, 10]);
  });

  it("reset goes back to the minimum; a refusal waits the long refusal delay once, then the doubling resumes at the cap", () => {
    const backoff = createBackoff({ minMs: 10, maxMs: 80, jitter: "none", refusedMs: 500 }, noRandom);
    backoff.next();
    backoff.next();
    expect(backoff.nominalMs).toBe(40);
    backoff.reset();
    expect(backoff.next()).toBe(10);
    backoff.toRefused();
    expect(backoff.next()).toBe(500);
    expect(backoff.next()).toBe(80);
  });

  it("the refusal delay is 5 min by default, and never shorter than the cap", () => {
    const byDefault = createBackoff({ jitter: "none" }, noRandom);
    byDefault.toRefused();
    expect(byDefault.next()).toBe(300_000);
    const longCap = createBackoff({ maxMs: 600_000, jitter: "none" }, noRandom);
    longCap.toRefused();
    expect(longCap.next()).toBe(600_000);
  });

  it("gives an exact, repeatable sequence for a seeded random (±50 %)", () => {
    const backoff = createBackoff({ minMs: 10_000, maxMs: 80_000, jitter: "half" }, seededRandom(1));
    expect(Array.from({ length: 5 }, () => backoff.next())).toEqual([11_270, 10_054, 41_097, 118_484, 117_470]);
  });

  it("gives an exact, repeatable sequence for a seeded random (full jitter)", () => {
    const backoff = createBackoff({ minMs: 10_000, maxMs: 80_000, jitter: "full" }, seededRandom(1));
    expect(Array.from({ length: 5 }, () => backoff.next())).toEqual([6_270, 54, 21_097, 78_484, 77_470]);
  });

  it("uses ±75 % jitter by default", () => {
    const random = seededRandom(3);
    const expected = applyJitter(10_000, "wide", seededRandom(3));
    expect(createBackoff({}, random).next()).toBe(expected);
    expect(expected).not.toBe(10_000);
  });

  it("rejects nonsensical bounds", () => {
    expect(() => createBackoff({ minMs: 0 }, noRandom)).toThrow(RangeError);
    expect(() => createBackoff({ minMs: 100, maxMs: 50 }, noRandom)).toThrow(RangeError);
  });
});

describe("applyJitter", () => {
  const samples = (jitter: "wide" | "half" | "full", nominal: number) => {
    const random = seededRandom(42);
    return Array.from({ length: 2_000 }, () => applyJitter(nominal, jitter, random));
  };

  it("±75 % stays within [nominal/4, nominal·1.75) and uses the whole window", () => {
    const delays = samples("wide", 10_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2_500);
    expect(Math.max(...delays)).toBeLessThan(17_500);
    expect(Math.min(...delays)).toBeLessThan(3_000);
    expect(Math.max(...delays)).toBeGreaterThan(17_000);
  });

  it("±50 % stays within [nominal/2, nominal·1.5) and uses the whole window", () => {
    const delays = samples("half", 10_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...delays)).toBeLessThan(15_000);
    // Spread, not lock-step: both ends of the window are reached.
    expect(Math.min(...delays)).toBeLessThan(5_500);
    expect(Math.max(...delays)).toBeGreaterThan(14_500);
  });

  it("full jitter stays within [0, nominal) and uses the whole window", () => {
    const delays = samples("full", 10_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(10_000);
    expect(Math.min(...delays)).toBeLessThan(500);
    expect(Math.max(...delays)).toBeGreaterThan(9_500);
  });

  it("none returns the nominal delay", () => {
    expect(applyJitter(1234, "none", noRandom)).toBe(1234);
  });
});
