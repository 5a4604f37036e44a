import { describe, expect, it } from "vitest";
import type { AuthState } from "./auth-state.js";
import { isGrant } from "./testing/in-process-idp.js";
import { refreshes, run, signIn, startOrigin } from "./testing/session-harness.js";

const ACCESS_TTL_S = 60;
const LIFETIME = ACCESS_TTL_S * 1000;

describe("device-flow session: signing in", () => {
  it("shows a code, and once a person approves it holds a token, stores the refresh token and renews at 75–85 % of the lifetime", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    expect(await tab.session.getToken()).toBeUndefined(); // not started
    tab.session.start();
    await signIn(origin, tab);

    const state = tab.session.state as Extract<AuthState, { kind: "signed-in" }>;
    const token = await tab.session.getToken();
    expect(token).toMatch(/^ey/); // the IdP's JWT
    expect(origin.store.stored).toBeTypeOf("string");
    expect(origin.store.stored).not.toBe(token);
    const issuedAt = state.expiresAt - LIFETIME;
    expect(state.refreshAt - issuedAt).toBeGreaterThanOrEqual(0.75 * LIFETIME);
    expect(state.refreshAt - issuedAt).toBeLessThanOrEqual(0.85 * LIFETIME);
    expect(tab.states.map((s) => s.kind)).toEqual(["starting", "signing-in", "waiting-for-user", "signed-in"]);
  });

  it("a second start and getToken for a server it was not configured for do nothing", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab({ servers: ["https://bms.example"] });
    tab.session.start();
    tab.session.start();
    await signIn(origin, tab);
    expect(origin.idp.stats().deviceAuthorizations.started).toBe(1);
    expect(await tab.session.getToken("https://bms.example")).toMatch(/^ey/);
    expect(await tab.session.getToken("https://elsewhere.example")).toBeUndefined();
  });
});

describe("device-flow session: staying signed in", () => {
  it("renews ahead of expiry, rotating the stored refresh token each time: ten lifetimes, ten renewals, never an unusable token", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    tab.session.start();
    await signIn(origin, tab);
    const stored = new Set([origin.store.stored]);
    const tokens = new Set<string>();
    for (let second = 0; second < 10 * ACCESS_TTL_S; second += 5) {
      await run(origin, 5_000);
      const token = await tab.session.getToken();
      expect(token, `a token at ${second + 5} s`).toBeDefined();
      tokens.add(token!);
      stored.add(origin.store.stored);
      const state = tab.session.state;
      expect(state.kind).toBe("signed-in");
      // The token handed out always has time left: it expires later than now plus the margin.
      if (state.kind === "signed-in") expect(state.expiresAt - origin.clock.now()).toBeGreaterThan(0.1 * LIFETIME);
    }
    const renewals = refreshes(origin);
    expect(renewals).toBeGreaterThanOrEqual(10 / 0.85 - 1);
    expect(renewals).toBeLessThanOrEqual(Math.ceil(10 / 0.75));
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(0);
    // Rotation: every renewal stored a new refresh token and each was presented once.
    expect(stored.size).toBe(renewals + 1);
    const presented = origin.idp.requests.filter(isGrant("refresh_token")).map((r) => r.form.refresh_token);
    expect(new Set(presented).size).toBe(presented.length);
    expect(tokens.size).toBe(renewals + 1);
  });

  it("spreads renewals: screens signed in at the same instant renew at different times", async () => {
    const offsets = new Set<number>();
    for (let seed = 1; seed <= 5; seed++) {
      const screen = await startOrigin({ accessTtlS: 300 }); // each its own origin, all on the same start time
      const tab = screen.tab({ seed });
      tab.session.start();
      await signIn(screen, tab);
      const state = tab.session.state as Extract<AuthState, { kind: "signed-in" }>;
      offsets.add(state.refreshAt - screen.clock.now());
    }
    expect(offsets.size).toBe(5);
  });

  it("a restart (a new session on the same store) signs in by itself: one renewal, no code", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    first.session.start();
    await signIn(origin, first);
    await first.session.close();
    const before = refreshes(origin);

    const rebooted = origin.tab();
    rebooted.session.start();
    await run(origin, 1_000);
    expect(rebooted.session.state.kind).toBe("signed-in");
    expect(await rebooted.session.getToken()).toMatch(/^ey/);
    expect(rebooted.states.map((s) => s.kind)).toEqual(["starting", "signed-in"]);
    expect(refreshes(origin) - before).toBe(1);
    expect(origin.idp.stats().deviceAuthorizations.started).toBe(1);
  });

  it("getToken during start-up waits for the stored sign-in rather than answering nothing", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    first.session.start();
    await signIn(origin, first);
    await first.session.close();

    const rebooted = origin.tab();
    rebooted.session.start();
    const token = rebooted.session.getToken();
    await run(origin, 1_000);
    expect(await token).toMatch(/^ey/);
  });

  it("renews at once when asked for a token past its use (a device that slept through the renewal)", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    // The tab's clock can jump ahead without firing timers: a suspended device waking up.
    let slept = 0;
    const clock = { now: () => origin.clock.now() + slept, setTimer: (ms: number, callback: () => void) => origin.clock.setTimer(ms, callback) };
    const tab = origin.tab({ clock });
    tab.session.start();
    await signIn(origin, tab);
    const old = await tab.session.getToken();
    slept = 2 * LIFETIME;
    const fresh = tab.session.getToken();
    await run(origin, 0);
    expect(await fresh).toMatch(/^ey/);
    expect(await fresh).not.toBe(old);
    expect(refreshes(origin)).toBe(1);
  });
});
