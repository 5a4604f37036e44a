import { describe, expect, it } from "vitest";
import type { CacheState } from "../core/cache-types.js";
import { describeScreen, summarizeScreen, type ShownPublication } from "./screen-status.js";
import { createTimeFormat } from "./time-format.js";

const time = createTimeFormat("en-GB", "UTC");
const NOW = Date.UTC(2026, 10, 3, 10, 45, 0);
const MIN = 60_000;
const retrying = (failedAt: number, nextAttemptAt: number): CacheState => ({
  kind: "retrying",
  nextAttemptAt,
  lastError: { code: "unknown", message: "Failed to fetch", at: failedAt },
});
const shown = (state: CacheState, confirmedAt?: number): ShownPublication => ({ state, confirmedAt });

describe("screen status", () => {
  it("is live when everything is live; the least fresh state wins otherwise", () => {
    const live = summarizeScreen(undefined, [shown({ kind: "live" }, NOW), shown({ kind: "live" }, NOW)], true, NOW);
    expect(live.kind).toBe("live");
    expect(describeScreen(live, NOW, time).banner).toBeUndefined();
    expect(summarizeScreen(undefined, [shown({ kind: "live" }), shown({ kind: "polling" })], true, NOW).kind).toBe("polling");
    expect(summarizeScreen(undefined, [shown({ kind: "connecting" }), shown({ kind: "polling" })], true, NOW).kind).toBe("connecting");
    expect(summarizeScreen(undefined, [shown({ kind: "needs-auth", lastError: { code: "unauthenticated", message: "", at: 0 } }), shown({ kind: "live" })], true, NOW).kind).toBe(
      "needs-auth",
    );
  });

  it("a signed-in screen the server refuses (PERMISSION_DENIED) says not allowed, not sign-in needed", () => {
    const denied = { kind: "needs-auth", lastError: { code: "permission_denied", message: "", at: 0 } } as const;
    const status = summarizeScreen(undefined, [shown(denied), shown({ kind: "live" })], true, NOW);
    expect(status.kind).toBe("not-allowed");
    expect(describeScreen(status, NOW, time)).toMatchObject({
      chip: "Not allowed",
      banner: { title: "Not allowed", detail: "This screen is signed in but not allowed to see some of this data." },
    });
    const both = summarizeScreen(undefined, [shown(denied), shown({ kind: "needs-auth", lastError: { code: "unauthenticated", message: "", at: 0 } })], true, NOW);
    expect(both.kind).toBe("needs-auth");
  });

  it("stays offline while a publication tries to reconnect (connecting between attempts), without moving since", () => {
    const offline = summarizeScreen(undefined, [shown(retrying(NOW - 3 * MIN, NOW + 5_000)), shown(retrying(NOW - 3 * MIN, NOW + 2_000))], true, NOW);
    const attempt = summarizeScreen(offline, [shown(retrying(NOW - 3 * MIN, NOW + 5_000)), shown({ kind: "connecting" })], true, NOW + 2_000);
    expect(attempt).toMatchObject({ kind: "offline", since: NOW - 3 * MIN, nextAttemptAt: NOW + 5_000 });
    // At start-up, connecting is not offline.
    expect(summarizeScreen(undefined, [shown(retrying(NOW, NOW + 5_000)), shown({ kind: "connecting" })], true, NOW).kind).toBe("reconnecting");
  });

  it("removed publications do not count; with nothing left to follow it says so", () => {
    expect(summarizeScreen(undefined, [shown({ kind: "removed" }), shown({ kind: "live" })], true, NOW).kind).toBe("live");
    expect(summarizeScreen(undefined, [shown({ kind: "removed" })], true, NOW).kind).toBe("removed");
  });

  it("is offline when every followed publication reconnects, since the first failure, with the oldest data admitted", () => {
    const status = summarizeScreen(
      undefined,
      [shown(retrying(NOW - 3 * MIN, NOW + 5_000), NOW - 4 * MIN), shown(retrying(NOW - 2 * MIN, NOW + 9_000), NOW - 3 * MIN), shown({ kind: "removed" })],
      true,
      NOW,
    );
    expect(status).toEqual({ kind: "offline", since: NOW - 3 * MIN, oldestConfirmedAt: NOW - 4 * MIN, nextAttemptAt: NOW + 5_000 });
    expect(describeScreen(status, NOW, time)).toEqual({
      chip: "Offline",
      banner: { title: "Offline since 10:42", detail: "Showing data confirmed at 10:41 (4 minutes ago). Reconnecting in 5 s." },
      announcement: "Offline since 10:42. The last data stays on screen.",
    });
  });

  it("keeps the time it went offline through later retries, and forgets it once back", () => {
    const first = summarizeScreen(undefined, [shown(retrying(NOW - 3 * MIN, NOW))], true, NOW);
    const later = summarizeScreen(first, [shown(retrying(NOW, NOW + 20_000))], true, NOW + MIN);
    expect(later.since).toBe(NOW - 3 * MIN);
    const back = summarizeScreen(later, [shown({ kind: "live" })], true, NOW + 2 * MIN);
    expect(back).toMatchObject({ kind: "live", since: undefined });
    const again = summarizeScreen(back, [shown(retrying(NOW + 3 * MIN, NOW + 4 * MIN))], true, NOW + 3 * MIN);
    expect(again.since).toBe(NOW + 3 * MIN);
  });

  it("is offline when the browser has no network even before any publication notices", () => {
    const status = summarizeScreen(undefined, [shown({ kind: "live" }, NOW - MIN)], false, NOW);
    expect(status.kind).toBe("offline");
    expect(status.since).toBe(NOW);
    expect(describeScreen(status, NOW, time).banner?.detail).toBe("Showing data confirmed at 10:44 (1 minute ago). Reconnecting…");
  });

  it("some publications reconnecting is not the whole screen offline", () => {
    const status = summarizeScreen(undefined, [shown(retrying(NOW - MIN, NOW + 3_000), NOW - MIN), shown({ kind: "live" }, NOW)], true, NOW);
    expect(status.kind).toBe("reconnecting");
    expect(describeScreen(status, NOW, time).banner?.title).toBe("Some data is not updating since 10:44");
  });

  it("announces only what changes the situation, not the countdown", () => {
    const a = summarizeScreen(undefined, [shown(retrying(NOW, NOW + 9_000))], true, NOW);
    const b = summarizeScreen(a, [shown(retrying(NOW, NOW + 9_000))], true, NOW + 4_000);
    expect(describeScreen(a, NOW, time).announcement).toBe(describeScreen(b, NOW + 4_000, time).announcement);
    expect(describeScreen(a, NOW, time).banner?.detail).not.toBe(describeScreen(b, NOW + 4_000, time).banner?.detail);
  });
});
