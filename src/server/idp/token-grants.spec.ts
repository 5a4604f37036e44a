import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, type TestServer } from "../testing/test-server.js";
import {
  basicAuth,
  endpointsOf,
  passwordGrant,
  postForm,
  postQuery,
  refreshGrant,
} from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(more: Parameters<typeof startTestServer>[0] = {}) {
  const clock = manualClock();
  t = await startTestServer({ auth: {}, clock, ...more });
  return { t, clock, urls: endpointsOf(t.url) };
}

const refreshTokenOf = (answer: { body: Record<string, unknown> }) => answer.body.refresh_token as string;

describe("the password grant", () => {
  it("signs a person in on both token paths: a JWT with iss, sub, aud, azp, iat, exp, jti, roles, and a refresh token", async () => {
    const { clock, urls } = await start();
    for (const url of [urls.token, urls.oauth2Token]) {
      const answer = await postForm(url, { grant_type: "password", username: "admin", password: "admin", client_id: "dashboard", scope: "openid" });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 300, refresh_expires_in: 1800, scope: "openid" });
      const jwt = answer.body.access_token as string;
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
      const claims = decodeJwt(jwt);
      const nowS = clock.now() / 1000;
      expect(claims).toMatchObject({ iss: "pubcache-dev/realms/smartcore", sub: "admin", aud: "smartcore-publications", azp: "dashboard", roles: ["admin"], scope: "openid", iat: nowS, exp: nowS + 300 });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("without client_id also works (Smart Core's own /oauth2/token)", async () => {
    const { urls } = await start();
    const answer = await postForm(urls.oauth2Token, { grant_type: "password", username: "admin", password: "admin" });
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token as string).azp).toBe("");
    // Its refresh token is bound to "no client": refreshing without client_id works, with one it does not.
    expect((await postForm(urls.oauth2Token, { grant_type: "refresh_token", refresh_token: refreshTokenOf(answer), client_id: "dashboard" })).body.error).toBe("invalid_grant");
    expect((await postForm(urls.oauth2Token, { grant_type: "refresh_token", refresh_token: refreshTokenOf(answer) })).status).toBe(200);
  });

  it("invalid_grant for a wrong password or an unknown user; invalid_request for a missing one", async () => {
    const { t, urls } = await start();
    const wrong = await passwordGrant(t.url, "admin", "nope");
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: "invalid_grant", error_description: "wrong username or password" });
    expect((await passwordGrant(t.url, "mallory", "admin")).body.error).toBe("invalid_grant");
    const missing = await postForm(urls.token, { grant_type: "password", username: "admin" });
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "password is required" });
  });
});

describe("the client-credentials grant", () => {
  it("signs a machine in with HTTP Basic or with client_secret in the body; no refresh token (RFC 6749 §4.4.3)", async () => {
    const { urls } = await start();
    const viaBasic = await postForm(urls.oauth2Token, { grant_type: "client_credentials" }, basicAuth("signage-server", "signage-secret"));
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.refresh_token).toBeUndefined();
    expect(decodeJwt(viaBasic.body.access_token as string)).toMatchObject({ sub: "signage-server", azp: "signage-server", roles: ["signage"] });
    const viaBody = await postForm(urls.token, { grant_type: "client_credentials", client_id: "signage-server", client_secret: "signage-secret" });
    expect(viaBody.status).toBe(200);
  });

  it("401 invalid_client for a wrong or missing secret, an unknown client, or no client; WWW-Authenticate after HTTP Basic", async () => {
    const { urls } = await start();
    const wrongBasic = await postForm(urls.token, { grant_type: "client_credentials" }, basicAuth("signage-server", "guess"));
    expect(wrongBasic.status).toBe(401);
    expect(wrongBasic.body).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
    expect(wrongBasic.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const wrongBody = await postForm(urls.token, { grant_type: "client_credentials", client_id: "signage-server", client_secret: "guess" });
    expect(wrongBody.status).toBe(401);
    expect(wrongBody.headers.get("www-authenticate")).toBeNull();
    const noSecret = await postForm(urls.token, { grant_type: "client_credentials", client_id: "signage-server" });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe("invalid_client");
    const unknown = await postForm(urls.token, { grant_type: "client_credentials" }, basicAuth("nobody", "x"));
    expect(unknown.status).toBe(401);
    const anonymous = await postForm(urls.token, { grant_type: "client_credentials" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: "invalid_client", error_description: "client authentication is required" });
    const malformed = await postForm(urls.token, { grant_type: "client_credentials" }, { authorization: "Basic !!!" });
    expect(malformed.status).toBe(401);
  });

  it("unauthorized_client for a client not allowed the grant; invalid_request for two ways of authenticating", async () => {
    const { urls } = await start();
    const publicClient = await postForm(urls.token, { grant_type: "client_credentials", client_id: "dashboard" });
    expect(publicClient.status).toBe(400);
    expect(publicClient.body).toEqual({ error: "unauthorized_client", error_description: "this client may not use the client_credentials grant" });
    const machinePassword = await postForm(urls.token, { grant_type: "password", username: "admin", password: "admin" }, basicAuth("signage-server", "signage-secret"));
    expect(machinePassword.body.error).toBe("unauthorized_client");
    const both = await postForm(urls.token, { grant_type: "client_credentials", client_secret: "signage-secret" }, basicAuth("signage-server", "signage-secret"));
    expect(both.status).toBe(400);
    expect(both.body.error).toBe("invalid_request");
  });
});

describe("the refresh-token grant: rotation", () => {
  it("every refresh answers a new access token and a new refresh token; the old refresh token is then invalid_grant", async () => {
    const { t, clock } = await start();
    const first = await passwordGrant(t.url);
    clock.advance(60_000);
    const second = await refreshGrant(t.url, refreshTokenOf(first));
    expect(second.status).toBe(200);
    expect(refreshTokenOf(second)).not.toBe(refreshTokenOf(first));
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect(decodeJwt(second.body.access_token as string)).toMatchObject({ sub: "admin", roles: ["admin"], iat: clock.now() / 1000 });
    const third = await refreshGrant(t.url, refreshTokenOf(second));
    expect(third.status).toBe(200);
  });

  it("reusing a rotated refresh token: invalid_grant, and the whole family (the newest token too) is revoked", async () => {
    const { t } = await start();
    const first = await passwordGrant(t.url);
    const second = await refreshGrant(t.url, refreshTokenOf(first));
    const otherSignIn = await passwordGrant(t.url);
    const reuse = await refreshGrant(t.url, refreshTokenOf(first));
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    expect(reuse.body.error_description).toContain("already used");
    const newest = await refreshGrant(t.url, refreshTokenOf(second));
    expect(newest.body.error).toBe("invalid_grant");
    expect(newest.body.error_description).toContain("revoked");
    expect((await refreshGrant(t.url, refreshTokenOf(otherSignIn))).status).toBe(200); // other sign-ins untouched
  });

  it("with revokeFamilyOnReuse: false, reuse is refused but the newest token keeps working", async () => {
    const { t } = await start({ auth: { revokeFamilyOnReuse: false } });
    const first = await passwordGrant(t.url);
    const second = await refreshGrant(t.url, refreshTokenOf(first));
    expect((await refreshGrant(t.url, refreshTokenOf(first))).body.error).toBe("invalid_grant");
    expect((await refreshGrant(t.url, refreshTokenOf(second))).status).toBe(200);
  });

  it("a refresh token expires refresh_expires_in after it was issued (each rotation starts a new lifetime)", async () => {
    const { t, clock } = await start({ auth: { refreshTtlS: 100 } });
    const first = await passwordGrant(t.url);
    expect(first.body.refresh_expires_in).toBe(100);
    clock.advance(99_999);
    const second = await refreshGrant(t.url, refreshTokenOf(first));
    expect(second.status).toBe(200);
    clock.advance(99_999); // 200 s after the sign-in, but within the rotated token's own lifetime
    const third = await refreshGrant(t.url, refreshTokenOf(second));
    expect(third.status).toBe(200);
    clock.advance(100_000);
    const expired = await refreshGrant(t.url, refreshTokenOf(third));
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual({ error: "invalid_grant", error_description: "the refresh token has expired: sign in again" });
  });

  it("invalid_grant for an unknown token or another client's; invalid_request without refresh_token", async () => {
    const { t, urls } = await start({
      auth: { clients: [{ clientId: "dashboard", grants: ["password", "refresh_token"] }, { clientId: "kiosk", grants: ["refresh_token"] }] },
    });
    expect((await refreshGrant(t.url, "made-up")).body).toEqual({ error: "invalid_grant", error_description: "unknown refresh token" });
    const signedIn = await passwordGrant(t.url);
    expect((await refreshGrant(t.url, refreshTokenOf(signedIn), "kiosk")).body.error).toBe("invalid_grant");
    expect((await refreshGrant(t.url, refreshTokenOf(signedIn))).status).toBe(200); // the refusal did not spend it
    const missing = await postForm(urls.token, { grant_type: "refresh_token", client_id: "dashboard" });
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "refresh_token is required" });
  });
});

describe("the fault endpoint that revokes every refresh token", () => {
  it("with faults: revokes them all (answering how many); each refresh is then invalid_grant, a new sign-in works", async () => {
    const { t, urls } = await start({ faults: true });
    const a = await passwordGrant(t.url);
    const b = await passwordGrant(t.url);
    const revoked = await postQuery(urls.revokeRefreshTokensFault);
    expect(revoked).toMatchObject({ status: 200, body: { revoked: 2 } });
    for (const answer of [a, b]) {
      const refreshed = await refreshGrant(t.url, refreshTokenOf(answer));
      expect(refreshed.body).toEqual({ error: "invalid_grant", error_description: "the refresh token was revoked: sign in again" });
    }
    const fresh = await passwordGrant(t.url);
    expect((await refreshGrant(t.url, refreshTokenOf(fresh))).status).toBe(200);
  });

  it("without faults: 404, and the tokens keep working", async () => {
    const { t, urls } = await start();
    const a = await passwordGrant(t.url);
    expect((await fetch(urls.revokeRefreshTokensFault, { method: "POST" })).status).toBe(404);
    expect((await refreshGrant(t.url, refreshTokenOf(a))).status).toBe(200);
  });
});

describe("the token endpoint's request errors", () => {
  it("unsupported_grant_type, invalid_request for no grant_type, a repeated parameter, a non-form body; 405 for GET", async () => {
    const { urls } = await start();
    const unsupported = await postForm(urls.token, { grant_type: "authorization_code", code: "x" });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error).toBe("unsupported_grant_type");
    expect((await postForm(urls.token, {})).body).toEqual({ error: "invalid_request", error_description: "grant_type is required" });
    const repeated = await fetch(urls.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=admin&password=admin&password=admin",
    });
    expect(repeated.status).toBe(400);
    expect(((await repeated.json()) as { error: string }).error).toBe("invalid_request");
    const json = await fetch(urls.token, { method: "POST", headers: { "content-type": "application/json" }, body: '{"grant_type":"password"}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: "invalid_request", error_description: "the body must be application/x-www-form-urlencoded" });
    const huge = await postForm(urls.token, { grant_type: "password", username: "x".repeat(20_000), password: "y" });
    expect(huge.status).toBe(400);
    expect(huge.body.error_description).toContain("larger than");
    const get = await fetch(urls.token);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("/auth/stats counts token requests per grant, errors apart", async () => {
    const { t, urls } = await start();
    const signedIn = await passwordGrant(t.url);
    await refreshGrant(t.url, refreshTokenOf(signedIn));
    await refreshGrant(t.url, "made-up");
    await postForm(urls.token, { grant_type: "nope" });
    const stats = (await (await fetch(urls.stats)).json()) as Record<string, unknown>;
    expect(stats).toEqual({
      tokenRequests: { device_code: 0, refresh_token: 2, password: 1, client_credentials: 0, other: 1 },
      tokenErrors: { device_code: 0, refresh_token: 1, password: 0, client_credentials: 0, other: 1 },
      deviceAuthorizations: { started: 0, pending: 0 },
      activeRefreshTokens: 1,
    });
  });

  it("publishes its JWK Set and an OpenID discovery document naming both endpoints", async () => {
    const { t, urls } = await start();
    const jwks = (await (await fetch(urls.jwks)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.keys[0]!.d).toBeUndefined(); // never the private part
    const discovery = (await (await fetch(urls.discovery)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: "pubcache-dev/realms/smartcore",
      token_endpoint: `${t.url}/realms/smartcore/protocol/openid-connect/token`,
      device_authorization_endpoint: `${t.url}/realms/smartcore/protocol/openid-connect/auth/device`,
      jwks_uri: urls.jwks,
    });
  });
});
