import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, type TestServer } from "../testing/test-server.js";
import type { IdentityProviderOptions } from "./identity-provider.js";
import { endpointsOf, pollDevice, postQuery, startDevice } from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(auth: IdentityProviderOptions = {}) {
  const clock = manualClock();
  t = await startTestServer({ auth, clock });
  return { t, clock, urls: endpointsOf(t.url) };
}

/** Submits the verification page's form as a browser would. */
async function submitPage(url: string, fields: Record<string, string>) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

describe("the verification page (verification_uri)", () => {
  it("GET shows the form, prefilled from verification_uri_complete, offering every user; strict CSP, no caching", async () => {
    const { t } = await start();
    const { verification_uri_complete, user_code } = await startDevice(t.url);
    const res = await fetch(verification_uri_complete);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(`name="user_code" value="${user_code}"`);
    expect(html).toContain('<form method="post" action="/realms/smartcore/device">');
    expect(html).toMatch(/<option selected>admin<\/option><option>denied<\/option>/);
    expect(html).toContain('value="approve"');
    expect(html).toContain('value="deny"');
  });

  it("escapes what it echoes", async () => {
    const { urls } = await start();
    const html = await (await fetch(`${urls.verification}?user_code=${encodeURIComponent('"><script>x</script>')}`)).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#34;&#62;&#60;script&#62;");
  });

  it("POST approve (any case, without the dash) signs the device in as the chosen user", async () => {
    const { t, urls } = await start();
    const { device_code, user_code } = await startDevice(t.url);
    const typed = user_code.replace("-", "").toLowerCase();
    const page = await submitPage(urls.verification, { user_code: typed, user: "denied", action: "approve" });
    expect(page.status).toBe(200);
    expect(page.html).toContain("Approved: the screen signs in as denied");
    const granted = await pollDevice(t.url, device_code);
    expect(granted.status).toBe(200);
    expect(decodeJwt(granted.body.access_token as string)).toMatchObject({ sub: "denied", roles: [] });
  });

  it("POST deny: the device gets access_denied", async () => {
    const { t, urls } = await start();
    const { device_code, user_code } = await startDevice(t.url);
    const page = await submitPage(urls.verification, { user_code, action: "deny" });
    expect(page.status).toBe(200);
    expect(page.html).toContain("Denied");
    expect((await pollDevice(t.url, device_code)).body.error).toBe("access_denied");
  });

  it("POST answers an unknown (404), expired (410) or decided (409) code, a missing code or action and an unknown user (400) with the form again", async () => {
    const { t, clock, urls } = await start({ deviceCodeTtlS: 30 });
    const decided = await startDevice(t.url);
    await submitPage(urls.verification, { user_code: decided.user_code, action: "approve" });
    const cases: [Record<string, string>, number, string][] = [
      [{ user_code: "BBBB-BBBB", action: "approve" }, 404, "No sign-in is waiting for that code"],
      [{ user_code: decided.user_code, action: "deny" }, 409, "already approved or denied"],
      [{ user_code: "", action: "approve" }, 400, "Enter the code"],
      [{ user_code: decided.user_code }, 400, "Choose Approve or Deny"],
      [{ user_code: decided.user_code, action: "approve", user: "mallory" }, 400, "No such user"],
    ];
    for (const [fields, status, text] of cases) {
      const page = await submitPage(urls.verification, fields);
      expect([page.status, page.html.includes(text), page.html.includes("<form")]).toEqual([status, true, true]);
    }
    const late = await startDevice(t.url);
    clock.advance(30_000);
    const expired = await submitPage(urls.verification, { user_code: late.user_code, action: "approve" });
    expect(expired.status).toBe(410);
    expect(expired.html).toContain("expired");
  });
});

describe("the approve and deny endpoints (for tests and the CLI)", () => {
  it("approve: as the first configured user by default, or as ?user=; answers JSON", async () => {
    const { t, urls } = await start();
    const a = await startDevice(t.url);
    expect(await postQuery(urls.approve, { user_code: a.user_code })).toMatchObject({ status: 200, body: { decision: "approved", user: "admin", client: "dashboard" } });
    const b = await startDevice(t.url);
    expect((await postQuery(urls.approve, { user_code: b.user_code, user: "denied" })).body.user).toBe("denied");
    expect(decodeJwt((await pollDevice(t.url, b.device_code)).body.access_token as string).sub).toBe("denied");
  });

  it("takes a form body as well as the query", async () => {
    const { t, urls } = await start();
    const a = await startDevice(t.url);
    const res = await fetch(urls.approve, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `user_code=${a.user_code}` });
    expect(res.status).toBe(200);
  });

  it("errors: 400 invalid_request (no code, unknown user), 404 unknown_user_code, 409 already_decided, 410 expired_user_code, 405 for GET", async () => {
    const { t, clock, urls } = await start({ deviceCodeTtlS: 30 });
    const a = await startDevice(t.url);
    expect(await postQuery(urls.approve)).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await postQuery(urls.approve, { user_code: a.user_code, user: "mallory" })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await postQuery(urls.deny, { user_code: "BBBB-BBBB" })).toMatchObject({ status: 404, body: { error: "unknown_user_code" } });
    await postQuery(urls.deny, { user_code: a.user_code });
    expect(await postQuery(urls.approve, { user_code: a.user_code })).toMatchObject({ status: 409, body: { error: "already_decided" } });
    const b = await startDevice(t.url);
    clock.advance(30_000);
    expect(await postQuery(urls.approve, { user_code: b.user_code })).toMatchObject({ status: 410, body: { error: "expired_user_code" } });
    expect((await fetch(urls.approve)).status).toBe(405);
  });

  it("/auth/stats counts device authorizations started and pending", async () => {
    const { t, urls } = await start();
    const a = await startDevice(t.url);
    await startDevice(t.url);
    await postQuery(urls.approve, { user_code: a.user_code });
    const stats = (await (await fetch(urls.stats)).json()) as { deviceAuthorizations: unknown };
    expect(stats.deviceAuthorizations).toEqual({ started: 2, pending: 1 });
  });
});

describe("CORS (a dashboard on http://localhost:8080 calling the server on 127.0.0.1)", () => {
  it("answers the preflight of every endpoint, allowing the origin, POST and the Authorization and Content-Type headers", async () => {
    const { urls } = await start();
    for (const url of [urls.token, urls.oauth2Token, urls.deviceAuthorization, urls.approve]) {
      const res = await fetch(url, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:8080", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
      expect(res.headers.get("vary")).toBe("Origin");
    }
  });

  it("the answers themselves (success and error) carry the origin", async () => {
    const { urls } = await start();
    const headers = { origin: "http://localhost:8080", "content-type": "application/x-www-form-urlencoded" };
    const ok = await fetch(urls.deviceAuthorization, { method: "POST", headers, body: "client_id=dashboard" });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
    const error = await fetch(urls.token, { method: "POST", headers, body: "grant_type=password" });
    expect(error.status).toBe(400);
    expect(error.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
    expect(error.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
  });
});
