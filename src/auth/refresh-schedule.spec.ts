import { describe, expect, it } from "vitest";
import { checkRefreshWindow, isUsable, refreshTimeOf } from "./refresh-schedule.js";

const T0 = Date.UTC(2026, 0, 1);

describe("refresh timing", () => {
  it("renews inside the window, and before the refresh token itself would expire", () => {
    const grant = { issuedAt: T0, expiresAt: T0 + 100_000, refreshExpiresAt: undefined };
    expect(refreshTimeOf(grant, { from: 0.75, to: 0.85 }, () => 0)).toBe(T0 + 75_000);
    expect(refreshTimeOf(grant, { from: 0.75, to: 0.85 }, () => 0.999_999)).toBe(T0 + 85_000);
    expect(refreshTimeOf({ ...grant, refreshExpiresAt: T0 + 60_000 }, { from: 0.75, to: 0.85 }, () => 0.5)).toBe(T0 + 30_000);
    expect(refreshTimeOf({ ...grant, refreshExpiresAt: T0 + 10_000 }, { from: 0.75, to: 0.85 }, () => 0.5)).toBe(T0);
  });

  it("a token is usable until the last 5 s (or the last tenth of a short lifetime)", () => {
    expect(isUsable({ issuedAt: 0, expiresAt: 300_000 }, 294_999)).toBe(true);
    expect(isUsable({ issuedAt: 0, expiresAt: 300_000 }, 295_000)).toBe(false);
    expect(isUsable({ issuedAt: 0, expiresAt: 20_000 }, 17_999)).toBe(true);
    expect(isUsable({ issuedAt: 0, expiresAt: 20_000 }, 18_000)).toBe(false);
  });

  it("refuses a window outside (0, 0.9]", () => {
    expect(() => checkRefreshWindow({ from: 0, to: 0.5 })).toThrow(RangeError);
    expect(() => checkRefreshWindow({ from: 0.8, to: 0.7 })).toThrow(RangeError);
    expect(() => checkRefreshWindow({ from: 0.8, to: 0.95 })).toThrow(RangeError);
    expect(checkRefreshWindow({ from: 0.5, to: 0.9 })).toEqual({ from: 0.5, to: 0.9 });
  });
});
