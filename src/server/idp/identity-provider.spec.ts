import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { startPublicationServer } from "../publication-server.js";
import { ServerStartError } from "../start-error.js";
import { startTestServer, statusOf, type TestServer } from "../testing/test-server.js";
import type { IdentityProviderOptions } from "./identity-provider.js";
import { accessTokenOf, endpointsOf, postForm } from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe("startPublicationServer({auth})", () => {
  it("refuses unusable options and a static token alongside, before touching the data directory", async () => {
    const refused = (auth: IdentityProviderOptions, token?: string) =>
      startPublicationServer({ dataDir: "/nonexistent/never-created", auth, token }).then(
        () => "started",
        (err: unknown) => (err instanceof ServerStartError ? err.message : `unexpected ${String(err)}`),
      );
    expect(await refused({}, "s3cret")).toBe("use either a static token or the identity provider (auth), not both");
    expect(await refused({ accessTtlS: 0 })).toBe("auth accessTtlS must be a whole number of seconds above 0, not 0");
    expect(await refused({ refreshTtlS: 1.5 })).toBe("auth refreshTtlS must be a whole number of seconds above 0, not 1.5");
    expect(await refused({ pollIntervalS: -1 })).toMatch(/^auth pollIntervalS must be/);
    expect(await refused({ realm: "a/b" })).toBe('auth realm must be letters, digits, "-" or "_", not "a/b"');
  });

  it("leaves the rest of the server as it was: /healthz, /debug/stats, CORS preflight of the API, unknown paths", async () => {
    t = await startTestServer({ auth: {} });
    expect(await (await fetch(`${t.url}/healthz`)).text()).toBe("ok\n");
    expect((await fetch(`${t.url}/debug/stats`)).status).toBe(200);
    const preflight = await fetch(`${t.url}/smartcore.traits.PublicationApi/ListPublications`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:8080", "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
    expect(preflight.status).toBe(204);
    expect((await fetch(`${t.url}/faults/reset`, { method: "POST" })).status).toBe(404); // faults off
    expect((await fetch(`${t.url}/realms/other/device`)).status).not.toBe(200); // only the configured realm
  });

  it("serves another realm name when configured", async () => {
    t = await startTestServer({ auth: { realm: "building-7" } });
    const urls = endpointsOf(t.url);
    expect((await fetch(urls.verification)).status).toBe(404); // smartcore's path
    const token = await fetch(`${t.url}/realms/building-7/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=admin&password=admin",
    });
    expect(token.status).toBe(200);
    expect(await statusOf(t.clientWithToken(((await token.json()) as { access_token: string }).access_token).listPublications({}))).toBe("ok");
    expect(await statusOf(t.client.listPublications({}))).toBe(Code.Unauthenticated);
    // Smart Core's path has no realm in it.
    const viaOauth2 = await postForm(urls.oauth2Token, { grant_type: "password", username: "admin", password: "admin" });
    expect(await statusOf(t.clientWithToken(accessTokenOf(viaOauth2)).listPublications({}))).toBe("ok");
  });
});
