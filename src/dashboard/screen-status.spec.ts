import { describe, expect, it } from "vitest";
import type { CacheState } from "../core/cache-types.js";
import { describeScreen, SETTLE_MS, summarizeScreen, type ScreenStatus, type ShownPublication } from "./screen-status.js";
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
    expect(status).toEqual({ kind: "offline", settling: false, since: NOW - 3 * MIN, oldestConfirmedAt: NOW - 4 * MIN, nextAttemptAt: NOW + 5_000 });
    expect(describeScreen(status, NOW, time)).toEqual({
      chip: "Offline",
      banner: { title: "Offline since 10:42", detail: "Showing data confirmed at 10:41 (4 minutes ago). Reconnecting in 5 s.", since: NOW - 3 * MIN, confirmedAt: NOW - 4 * MIN },
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

  it("a server going down reaches the page one publication at a time: the screen goes from live to offline without saying some data is not updating", () => {
    const live = summarizeScreen(undefined, [shown({ kind: "live" }, NOW), shown({ kind: "live" }, NOW), shown({ kind: "live" }, NOW)], true, NOW);
    const first = summarizeScreen(live, [shown(retrying(NOW, NOW + 2_000)), shown({ kind: "live" }), shown({ kind: "live" })], true, NOW + 100);
    expect(first).toMatchObject({ kind: "live", settling: true, since: undefined });
    const second = summarizeScreen(first, [shown(retrying(NOW, NOW + 2_000)), shown(retrying(NOW + 500, NOW + 2_500)), shown({ kind: "live" })], true, NOW + 600);
    expect(second).toMatchObject({ kind: "live", settling: true });
    const all = summarizeScreen(second, [shown(retrying(NOW, NOW + 2_000)), shown(retrying(NOW + 500, NOW + 2_500)), shown(retrying(NOW + 600, NOW + 2_600))], true, NOW + 700);
    // Since the first failure, not since the screen said so.
    expect(all).toMatchObject({ kind: "offline", settling: false, since: NOW, partialSince: undefined });
    expect(describeScreen(all, NOW + 700, time).banner?.title).toBe("Offline since 10:45");
  });

  it("a mix that lasts is told: some data is not updating, since the first failure", () => {
    const states = [shown(retrying(NOW, NOW + 2_000)), shown({ kind: "live" })];
    let status: ScreenStatus = summarizeScreen(undefined, [shown({ kind: "live" }), shown({ kind: "live" })], true, NOW - 1);
    for (let t = NOW; t < NOW + SETTLE_MS; t += 1_000) {
      status = summarizeScreen(status, states, true, t);
      expect(status.kind).toBe("live");
    }
    status = summarizeScreen(status, states, true, NOW + SETTLE_MS);
    expect(status).toMatchObject({ kind: "reconnecting", settling: false, since: NOW, partialSince: NOW });
    // It stays told while the mix lasts.
    expect(summarizeScreen(status, states, true, NOW + SETTLE_MS + 5_000).kind).toBe("reconnecting");
  });

  it("coming back one publication at a time stays offline until all are back or the mix lasts", () => {
    const down = [shown(retrying(NOW - MIN, NOW)), shown(retrying(NOW - MIN, NOW))];
    const offline = summarizeScreen(undefined, down, true, NOW - MIN);
    const one = summarizeScreen(offline, [shown({ kind: "live" }), shown(retrying(NOW - MIN, NOW + 2_000))], true, NOW);
    expect(one).toMatchObject({ kind: "offline", since: NOW - MIN, settling: true });
    expect(describeScreen(one, NOW, time).banner?.title).toBe("Offline since 10:44");
    expect(summarizeScreen(one, [shown({ kind: "live" }), shown({ kind: "live" })], true, NOW + 500)).toMatchObject({ kind: "live", since: undefined });
    const stuck = summarizeScreen(one, [shown({ kind: "live" }), shown(retrying(NOW - MIN, NOW + 9_000))], true, NOW + SETTLE_MS);
    expect(stuck).toMatchObject({ kind: "reconnecting", since: NOW - MIN });
  });

  it("the browser losing its network is told at once, mix or not", () => {
    const live = summarizeScreen(undefined, [shown({ kind: "live" }), shown({ kind: "live" })], true, NOW);
    expect(summarizeScreen(live, [shown(retrying(NOW, NOW + 2_000)), shown({ kind: "live" })], false, NOW + 100)).toMatchObject({ kind: "offline", settling: false });
  });

  it("announces only what changes the situation, not the countdown", () => {
    const a = summarizeScreen(undefined, [shown(retrying(NOW, NOW + 9_000))], true, NOW);
    const b = summarizeScreen(a, [shown(retrying(NOW, NOW + 9_000))], true, NOW + 4_000);
    expect(describeScreen(a, NOW, time).announcement).toBe(describeScreen(b, NOW + 4_000, time).announcement);
    expect(describeScreen(a, NOW, time).banner?.detail).not.toBe(describeScreen(b, NOW + 4_000, time).banner?.detail);
  });

  it("offline is since the host last heard the server: a reload (no previous status, later failures) says the same time", () => {
    const heardAt = NOW - 3 * MIN;
    const contact = { heardAt, lostAt: heardAt + 5_000 };
    const before = summarizeScreen(undefined, [shown(retrying(heardAt + 5_000, NOW + 5_000), heardAt)], true, NOW, contact);
    expect(before).toMatchObject({ kind: "offline", since: heardAt });
    // The page reloaded a minute later: its publications' last failures are the latest retries.
    const reloaded = summarizeScreen(undefined, [shown(retrying(NOW + MIN - 2_000, NOW + MIN + 8_000), heardAt)], true, NOW + MIN, contact);
    expect(reloaded.since).toBe(heardAt);
    expect(describeScreen(reloaded, NOW + MIN, time).banner?.title).toBe(`Offline since ${time.clock(heardAt, NOW)}`);
    // Without the host's news the page falls back on the first failure it saw.
    expect(summarizeScreen(undefined, [shown(retrying(NOW - MIN, NOW + 5_000))], true, NOW).since).toBe(NOW - MIN);
  });

  it("a server that still answers does not give offline its time; a browser without network does", () => {
    const status = summarizeScreen(undefined, [shown(retrying(NOW - MIN, NOW + 5_000))], true, NOW, { heardAt: NOW - 1_000 });
    expect(status.since).toBe(NOW - MIN);
    const noNetwork = summarizeScreen(undefined, [shown({ kind: "live" }, NOW - 2_000)], false, NOW, { heardAt: NOW - 2_000 });
    expect(noNetwork).toMatchObject({ kind: "offline", since: NOW - 2_000 });
  });
});
