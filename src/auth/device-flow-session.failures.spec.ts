import { describe, expect, it } from "vitest";
import type { AuthState } from "./auth-state.js";
import { isGrant } from "./testing/in-process-idp.js";
import { refreshes, run, secretsOf, signIn, startOrigin, until } from "./testing/session-harness.js";

const ACCESS_TTL_S = 60;
const LIFETIME = ACCESS_TTL_S * 1000;

describe("device-flow session: when renewing fails", () => {
  it("invalid_grant (every refresh token revoked) ends the sign-in in every tab: stored token gone, no token handed out, a new code shown", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tabs = [origin.tab(), origin.tab()];
    tabs[0]!.session.start();
    await signIn(origin, tabs[0]!);
    tabs[1]!.session.start();
    await run(origin, 500);
    expect(await origin.idp.revokeAllRefreshTokens()).toBe(1);

    await run(origin, 0.9 * LIFETIME);
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(1);
    expect(origin.store.stored).toBeUndefined();
    for (const tab of tabs) {
      expect(tab.session.state.kind).toBe("waiting-for-user");
      expect(await tab.session.getToken()).toBeUndefined();
    }
    // One renewal attempt for both tabs (the other learnt of the end), then the device flow.
    expect(refreshes(origin)).toBe(1);

    // Approving the new code signs both in again.
    await signIn(origin, tabs[1]!);
    await run(origin, 500);
    expect(tabs[0]!.session.state.kind).toBe("signed-in");
  });

  it("network errors: keeps the sign-in, hands out the token while it is usable, retries with growing jittered waits, recovers", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    tab.session.start();
    await signIn(origin, tab);
    const token = await tab.session.getToken();
    origin.idp.inject(isGrant("refresh_token"), "network-error", 6);

    await run(origin, 0.86 * LIFETIME);
    const failed = tab.session.state as Extract<AuthState, { kind: "refresh-failed" }>;
    expect(failed.kind).toBe("refresh-failed");
    expect(failed.problem.code).toBe("network");
    expect(failed.nextAttemptAt).toBeGreaterThan(origin.clock.now());
    expect(await tab.session.getToken()).toBe(token); // still usable for a few seconds

    await run(origin, 20 * 60_000);
    expect(tab.session.state.kind).toBe("signed-in");
    expect(await tab.session.getToken()).not.toBe(token);
    const attempts = origin.idp.requests.filter(isGrant("refresh_token")).map((r) => r.at);
    const waits = attempts.slice(1).map((at, i) => at - attempts[i]!);
    // 5 s doubling (±75 %): never a storm, and the waits grow.
    expect(waits.length).toBeGreaterThanOrEqual(6);
    for (const wait of waits.slice(0, 6)) expect(wait).toBeGreaterThanOrEqual(1_250);
    expect(waits[5]!).toBeGreaterThan(waits[0]!);
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(0);
  });

  it("a server error (5xx) is retried like a network error, the refresh token kept", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    tab.session.start();
    await signIn(origin, tab);
    origin.idp.inject(isGrant("refresh_token"), { status: 503, body: { error: "temporarily_unavailable" } });
    await run(origin, LIFETIME);
    const kinds = tab.states.map((state) => state.kind);
    expect(kinds.slice(-2)).toEqual(["refresh-failed", "signed-in"]);
    expect(tab.states.at(-2)).toMatchObject({ problem: { code: "network", message: "the identity provider answered 503" } });
    // The retry presented the same refresh token: a 503 spends nothing.
    const presented = origin.idp.requests.filter(isGrant("refresh_token")).map((r) => r.form.refresh_token);
    expect(presented).toHaveLength(2);
    expect(presented[1]).toBe(presented[0]);
  });

  it("a refusal that needs an administrator (invalid_client) keeps the sign-in and waits long before trying again", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    tab.session.start();
    await signIn(origin, tab);
    origin.idp.inject(isGrant("refresh_token"), { status: 401, body: { error: "invalid_client", error_description: "client disabled" } });
    await run(origin, 0.86 * LIFETIME);
    const failed = tab.session.state as Extract<AuthState, { kind: "refresh-failed" }>;
    expect(failed.problem).toMatchObject({ code: "invalid_client", message: "invalid_client: client disabled" });
    // The longest backoff: at least a quarter of 5 minutes.
    expect(failed.nextAttemptAt - failed.problem.at).toBeGreaterThanOrEqual(75_000);
    expect(origin.store.stored).toBeDefined();
  });

  it("a store that cannot save keeps the renewed refresh token in memory and renews with it (not with the spent one)", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tab = origin.tab();
    tab.session.start();
    await signIn(origin, tab);
    origin.store.failSaves = true;
    await run(origin, 3 * LIFETIME);
    expect(refreshes(origin)).toBeGreaterThanOrEqual(3);
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(0);
    expect(tab.session.state.kind).toBe("signed-in");
    expect(origin.logs.some((line) => line.includes("cannot store the renewed sign-in"))).toBe(true);
  });
});

describe("device-flow session: secrets stay out of logs and problems", () => {
  it("no access token, refresh token or device code appears in any log line or state, through sign-in, renewals, failures and revocation", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tabs = [origin.tab(), origin.tab()];
    const states: string[] = [];
    for (const tab of tabs) tab.session.subscribe((state) => states.push(JSON.stringify(state)));
    tabs[0]!.session.start();
    await signIn(origin, tabs[0]!);
    tabs[1]!.session.start();
    await run(origin, 3 * LIFETIME);
    // An identity provider that echoes the refresh token in its error text must not get it into a problem.
    const stored = origin.store.stored!;
    origin.idp.inject(isGrant("refresh_token"), { status: 400, body: { error: "invalid_scope", error_description: `bad token ${stored}` } });
    origin.idp.inject(isGrant("refresh_token"), "network-error", 2);
    await run(origin, 3 * LIFETIME);
    await origin.idp.revokeAllRefreshTokens();
    await run(origin, 2 * LIFETIME);
    await until(() => tabs[0]!.session.state.kind === "waiting-for-user", "a new code");

    const secrets = secretsOf(origin);
    expect(secrets.length).toBeGreaterThan(8);
    const said = [...origin.logs, ...states].join("\n");
    expect(said).toContain("invalid_scope: bad token [redacted]");
    for (const secret of secrets) expect(said).not.toContain(secret);
    // Nothing secret travels in a URL either.
    for (const request of origin.idp.requests) for (const secret of secrets) expect(request.url).not.toContain(secret);
  });
});
