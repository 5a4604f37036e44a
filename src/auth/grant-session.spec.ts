import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.js";
import { FakeClock } from "../core/testing/fake-clock.js";
import type { AuthState } from "./auth-state.js";
import { createGrantSession, type CredentialGrant } from "./grant-session.js";
import { isGrant, startInProcessIdp } from "./testing/in-process-idp.js";
import { recordingLogger } from "./testing/recording-logger.js";
import { run } from "./testing/session-harness.js";

async function setUp(grantOf: (tokenUrl: string) => CredentialGrant, clientId?: string) {
  const clock = new FakeClock();
  const idp = await startInProcessIdp(clock, { accessTtlS: 60 });
  const logger = recordingLogger();
  const session = createGrantSession(grantOf(idp.oauth2TokenUrl), idp.oauth2TokenUrl, clientId, { fetch: idp.fetch, clock, random: seededRandom(3) }, { logger });
  const states: AuthState[] = [];
  session.subscribe((state) => states.push(state));
  return { clock, idp, session, states, logger, origin: { clock, idp } };
}

const password = (username: string, secret: string) => (tokenUrl: string): CredentialGrant => (endpoint) => endpoint.password(tokenUrl, username, secret, "dashboard");
const machine = (secret: string) => (tokenUrl: string): CredentialGrant => (endpoint) => endpoint.clientCredentials(tokenUrl, "signage-server", secret);

describe("password sign-in on Smart Core's POST /oauth2/token", () => {
  it("signs in, then renews with the (memory-only) refresh token ahead of expiry for hours without the password again", async () => {
    const t = await setUp(password("admin", "admin"), "dashboard");
    t.session.start();
    await run(t.origin, 0);
    expect(t.session.state.kind).toBe("signed-in");
    expect(await t.session.getToken()).toMatch(/^ey/);
    await run(t.origin, 3 * 3_600_000);
    const stats = t.idp.stats().tokenRequests;
    expect(stats.password).toBe(1);
    expect(stats.refresh_token).toBeGreaterThanOrEqual(Math.floor((3 * 60) / 0.85));
    expect(stats.refresh_token).toBeLessThanOrEqual(Math.ceil((3 * 60) / 0.75));
    expect(t.session.state.kind).toBe("signed-in");
  });

  it("a refused renewal signs in with the password again, once", async () => {
    const t = await setUp(password("admin", "admin"), "dashboard");
    t.session.start();
    await run(t.origin, 0);
    await t.idp.revokeAllRefreshTokens();
    await run(t.origin, 60_000);
    expect(t.idp.stats().tokenRequests.password).toBe(2);
    expect(t.session.state.kind).toBe("signed-in");
  });

  it("a wrong password is final: signed out with the problem, no retry for a day (no login storm), the password in no log", async () => {
    const t = await setUp(password("admin", "wrong-password-123"));
    t.session.start();
    await run(t.origin, 86_400_000);
    expect(t.idp.stats().tokenRequests.password).toBe(1);
    expect(t.session.state).toMatchObject({ kind: "signed-out", problem: { code: "invalid_grant" } });
    expect(await t.session.getToken()).toBeUndefined();
    expect(t.logger.lines.join("\n")).not.toContain("wrong-password-123");
    // Starting again is a new attempt.
    t.session.start();
    await run(t.origin, 0);
    expect(t.idp.stats().tokenRequests.password).toBe(2);
  });

  it("an unreachable server is retried with growing jittered waits", async () => {
    const t = await setUp(password("admin", "admin"), "dashboard");
    t.idp.inject(isGrant("password"), "network-error", 4);
    t.session.start();
    await run(t.origin, 0);
    expect(t.session.state).toMatchObject({ kind: "signing-in", problem: { code: "network" } });
    await run(t.origin, 10 * 60_000);
    expect(t.session.state.kind).toBe("signed-in");
    const attempts = t.idp.requests.filter(isGrant("password")).map((r) => r.at);
    expect(attempts).toHaveLength(5);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(1_250);
  });
});

describe("client-credentials sign-in", () => {
  it("renews by asking again (no refresh token) at 75–85 % of each lifetime", async () => {
    const t = await setUp(machine("signage-secret"));
    t.session.start();
    await run(t.origin, 60 * 60_000);
    const requests = t.idp.stats().tokenRequests.client_credentials;
    expect(requests).toBeGreaterThanOrEqual(Math.floor(60 / 0.85));
    expect(requests).toBeLessThanOrEqual(Math.ceil(60 / 0.75) + 1);
    expect(t.idp.stats().tokenRequests.refresh_token).toBe(0);
    expect(await t.session.getToken()).toMatch(/^ey/);
  });

  it("a wrong secret (invalid_client) is final and the secret is in no log or problem", async () => {
    const t = await setUp(machine("not-the-secret-987"));
    t.session.start();
    await run(t.origin, 3_600_000);
    expect(t.idp.stats().tokenRequests.client_credentials).toBe(1);
    expect(t.session.state).toMatchObject({ kind: "signed-out", problem: { code: "invalid_client" } });
    expect([...t.logger.lines, JSON.stringify(t.states)].join("\n")).not.toContain("not-the-secret-987");
  });

  it("signOut and close stop renewing and hand out nothing", async () => {
    const t = await setUp(machine("signage-secret"));
    t.session.start();
    await run(t.origin, 0);
    await t.session.signOut();
    expect(await t.session.getToken()).toBeUndefined();
    await run(t.origin, 3_600_000);
    expect(t.idp.stats().tokenRequests.client_credentials).toBe(1);
    await t.session.close();
    t.session.start();
    expect(t.clock.pendingTimers).toBe(0);
  });
});
