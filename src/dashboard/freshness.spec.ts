import { describe, expect, it } from "vitest";
import type { CacheError } from "../core/cache-types.js";
import { describeFreshness } from "./freshness.js";
import { createTimeFormat } from "./time-format.js";

// Fixed locale and zone: the texts are compared word for word.
const time = createTimeFormat("en-GB", "UTC");
const NOW = Date.UTC(2026, 10, 3, 10, 45, 0);
const MIN = 60_000;
const error: CacheError = { code: "unknown", message: "Failed to fetch", at: NOW - 3 * MIN };

describe("per-publication freshness", () => {
  it("live: calm and short", () => {
    expect(describeFreshness({ state: { kind: "live" }, hasValue: true, confirmedAt: NOW }, NOW, time)).toEqual({
      tone: "ok",
      label: "Live",
      detail: "up to date",
    });
  });

  it("polling: when the server last answered, relative", () => {
    const f = describeFreshness({ state: { kind: "polling" }, hasValue: true, confirmedAt: NOW - 2 * MIN }, NOW, time);
    expect(f).toEqual({ tone: "ok", label: "Updating by polling", detail: "Checked 2 minutes ago" });
  });

  it("retrying: no countdown of its own (the banner has it), when the connection was lost, and how old the data shown is", () => {
    const f = describeFreshness(
      { state: { kind: "retrying", nextAttemptAt: NOW + 7_200, lastError: error }, hasValue: true, confirmedAt: NOW - 4 * MIN },
      NOW,
      time,
    );
    expect(f).toEqual({
      tone: "waiting",
      label: "Reconnecting…",
      detail: "Offline since 10:42 · showing data confirmed at 10:41 (4 minutes ago)",
    });
  });

  it("retrying while the screen's banner says since when: the card only says how old its data is", () => {
    const f = describeFreshness(
      {
        state: { kind: "retrying", nextAttemptAt: NOW + 7_200, lastError: error },
        hasValue: true,
        confirmedAt: NOW - 4 * MIN,
        offlineSince: NOW - 3 * MIN,
      },
      NOW,
      time,
    );
    expect(f.detail).toBe("Showing data confirmed at 10:41 (4 minutes ago)");
  });

  it("retrying with the attempt due: no negative countdown; no data: says so", () => {
    const f = describeFreshness(
      { state: { kind: "retrying", nextAttemptAt: NOW - 1, lastError: error }, hasValue: false, confirmedAt: undefined },
      NOW,
      time,
    );
    expect(f.label).toBe("Reconnecting…");
    expect(f.detail).toBe("Offline since 10:42 · no saved data yet");
  });

  it("a refused-but-signed-in publication says not allowed", () => {
    const denied = describeFreshness(
      { state: { kind: "needs-auth", lastError: { ...error, code: "permission_denied" } }, hasValue: false, confirmedAt: undefined },
      NOW,
      time,
    );
    expect(denied).toEqual({ tone: "attention", label: "Not allowed", detail: "This screen is signed in but may not see this" });
  });

  it("needs-auth asks for sign-in and still admits the age of what is shown", () => {
    const withValue = describeFreshness(
      { state: { kind: "needs-auth", lastError: { ...error, code: "unauthenticated" } }, hasValue: true, confirmedAt: NOW - 90 * MIN },
      NOW,
      time,
    );
    expect(withValue).toEqual({
      tone: "attention",
      label: "Sign-in needed",
      detail: "The server wants credentials; showing data confirmed at 09:15 (1 hour ago)",
    });
    const without = describeFreshness({ state: { kind: "needs-auth", lastError: error }, hasValue: false, confirmedAt: undefined }, NOW, time);
    expect(without.detail).toBe("The server wants credentials before it shares this");
  });

  it("removed keeps the last version and says the server removed it", () => {
    expect(describeFreshness({ state: { kind: "removed" }, hasValue: true, confirmedAt: NOW }, NOW, time)).toEqual({
      tone: "gone",
      label: "Removed by the server",
      detail: "Showing the last version it published",
    });
  });

  it("connecting: shows saved data for what it is", () => {
    expect(describeFreshness({ state: { kind: "connecting" }, hasValue: false, confirmedAt: undefined }, NOW, time).detail).toBe(
      "Waiting for the first data",
    );
    expect(describeFreshness({ state: { kind: "connecting" }, hasValue: true, confirmedAt: undefined }, NOW, time).detail).toBe(
      "Showing saved data",
    );
    expect(describeFreshness({ state: { kind: "connecting" }, hasValue: true, confirmedAt: NOW - 30_000 }, NOW, time).detail).toBe(
      "Showing data confirmed at 10:44 (30 seconds ago)",
    );
  });
});

describe("time format", () => {
  it("relative times in the locale: now under ten seconds, then the largest whole unit", () => {
    expect(time.relative(NOW - 4_000, NOW)).toBe("now");
    expect(time.relative(NOW - 45_000, NOW)).toBe("45 seconds ago");
    expect(time.relative(NOW - 2 * MIN - 5_000, NOW)).toBe("2 minutes ago");
    expect(time.relative(NOW - 26 * 60 * MIN, NOW)).toBe("yesterday");
    expect(createTimeFormat("de-DE", "UTC").relative(NOW - 2 * MIN, NOW)).toBe("vor 2 Minuten");
  });

  it("clock times: time only today, with the date on another day", () => {
    expect(time.clock(NOW - 3 * MIN, NOW)).toBe("10:42");
    expect(time.clock(NOW - 24 * 60 * MIN, NOW)).toBe("2 Nov, 10:45");
  });
});
