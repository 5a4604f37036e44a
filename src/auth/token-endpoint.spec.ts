import { describe, expect, it } from "vitest";
import { FakeClock } from "../core/testing/fake-clock.js";
import { parseDeviceAuthorization, parseTokenGrant, redact, TokenEndpoint, type FetchLike } from "./token-endpoint.js";

const T0 = Date.UTC(2026, 0, 1);

function answering(status: number, body: string): FetchLike {
  return async () => ({ status, text: async () => body });
}

describe("token answers", () => {
  it("turns lifetimes into clock times counted from when the request was sent", () => {
    const parsed = parseTokenGrant({ access_token: "a", token_type: "bearer", expires_in: 300, refresh_token: "r", refresh_expires_in: 1800 }, T0);
    expect(parsed).toEqual({
      kind: "ok",
      value: { accessToken: "a", issuedAt: T0, expiresAt: T0 + 300_000, refreshToken: "r", refreshExpiresAt: T0 + 1_800_000 },
    });
    // Keycloak's offline tokens: refresh_expires_in 0 means no expiry.
    expect(parseTokenGrant({ access_token: "a", token_type: "Bearer", expires_in: 60, refresh_expires_in: 0 }, T0)).toMatchObject({
      value: { refreshToken: undefined, refreshExpiresAt: undefined },
    });
  });

  it.each([
    ["no access token", { token_type: "Bearer", expires_in: 60 }],
    ["an empty access token", { access_token: "", token_type: "Bearer", expires_in: 60 }],
    ["a DPoP token", { access_token: "a", token_type: "DPoP", expires_in: 60 }],
    ["no lifetime", { access_token: "a", token_type: "Bearer" }],
    ["a negative lifetime", { access_token: "a", token_type: "Bearer", expires_in: -1 }],
    ["a lifetime as text", { access_token: "a", token_type: "Bearer", expires_in: "60" }],
    ["a refresh token that is not text", { access_token: "a", token_type: "Bearer", expires_in: 60, refresh_token: 42 }],
    ["an array", []],
  ])("refuses %s as unusable, without quoting it", (_, body) => {
    const parsed = parseTokenGrant(body, T0);
    expect(parsed.kind).toBe("unavailable");
    expect(JSON.stringify(parsed)).not.toContain('"a"');
  });

  it("device answers must carry http(s) URLs a screen can show", () => {
    const good = { device_code: "d", user_code: "WDJB-MJHT", verification_uri: "https://idp.example/device", expires_in: 600 };
    expect(parseDeviceAuthorization(good, T0)).toMatchObject({ kind: "ok", value: { intervalMs: 5_000, expiresAt: T0 + 600_000, verificationUriComplete: undefined } });
    expect(parseDeviceAuthorization({ ...good, interval: 2 }, T0)).toMatchObject({ value: { intervalMs: 2_000 } });
    expect(parseDeviceAuthorization({ ...good, verification_uri: "javascript:alert(1)" }, T0).kind).toBe("unavailable");
    expect(parseDeviceAuthorization({ ...good, verification_uri_complete: "data:text/html,x" }, T0).kind).toBe("unavailable");
    expect(parseDeviceAuthorization({ ...good, user_code: "\u0000<b>" }, T0).kind).toBe("unavailable");
    expect(parseDeviceAuthorization({ ...good, interval: 0 }, T0).kind).toBe("unavailable");
  });
});

describe("the endpoint client", () => {
  const clock = new FakeClock(T0);

  it("reads an OAuth error answer as a refusal and scrubs every secret the request carried from its text", async () => {
    const endpoint = new TokenEndpoint(answering(400, JSON.stringify({ error: "invalid_grant", error_description: "token rt-123 was revoked" })), clock);
    const outcome = await endpoint.refresh("https://idp/token", "dashboard", "rt-123");
    expect(outcome).toEqual({ kind: "refused", error: "invalid_grant", message: "invalid_grant: token [redacted] was revoked" });
  });

  it("treats 5xx, non-JSON answers, odd error codes and network failures as unavailable (retry later), not as refusals", async () => {
    const cases: FetchLike[] = [
      answering(503, JSON.stringify({ error: "invalid_grant" })),
      answering(200, "<html>proxy login</html>"),
      answering(400, "<html>bad request</html>"),
      answering(400, JSON.stringify({ error: 'a "quoted" code' })),
      async () => {
        throw new TypeError("Failed to fetch");
      },
    ];
    for (const fetch of cases) expect((await new TokenEndpoint(fetch, clock).refresh("https://idp/token", "c", "rt")).kind).toBe("unavailable");
  });

  it("posts form bodies with the secrets in them, never in the URL", async () => {
    const seen: Array<{ url: string; body: string; headers: Readonly<Record<string, string>> }> = [];
    const fetch: FetchLike = async (url, init) => {
      seen.push({ url, body: init.body, headers: init.headers });
      return { status: 400, text: async () => JSON.stringify({ error: "invalid_grant" }) };
    };
    const endpoint = new TokenEndpoint(fetch, clock);
    await endpoint.refresh("https://idp/token", "dashboard", "secret-refresh");
    await endpoint.password("https://idp/oauth2/token", "admin", "secret-password");
    await endpoint.clientCredentials("https://idp/oauth2/token", "machine", "secret-client");
    await endpoint.pollDeviceCode("https://idp/token", "dashboard", "secret-device");
    for (const request of seen) {
      expect(request.url).not.toMatch(/secret/);
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    }
    expect(seen.map((r) => new URLSearchParams(r.body).get("grant_type"))).toEqual([
      "refresh_token",
      "password",
      "client_credentials",
      "urn:ietf:params:oauth:grant-type:device_code",
    ]);
    expect(new URLSearchParams(seen[0]!.body).get("refresh_token")).toBe("secret-refresh");
  });

  it("redact caps long texts", () => {
    expect(redact("x".repeat(500), [])).toHaveLength(200);
    expect(redact("a secret b secret", ["secret", ""])).toBe("a [redacted] b [redacted]");
  });
});
