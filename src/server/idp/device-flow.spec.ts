import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, type TestServer } from "../testing/test-server.js";
import { DEVICE_CODE_GRANT_TYPE } from "./grants.js";
import type { IdentityProviderOptions } from "./identity-provider.js";
import { publicNameOf } from "./public-name.js";
import { endpointsOf, pollDevice, postForm, postQuery, startDevice } from "./testing/oauth-requests.js";

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

describe("device authorization (RFC 8628 §3.1–3.2)", () => {
  it("answers a device code, a WDJB-MJHT style user code, the verification URLs, expires_in and interval", async () => {
    const { t } = await start({ deviceCodeTtlS: 120, pollIntervalS: 3 });
    const started = await startDevice(t.url);
    expect(started.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verification_uri).toBe(`${t.url}/realms/smartcore/device`);
    expect(started.verification_uri_complete).toBe(`${t.url}/realms/smartcore/device?user_code=${started.user_code}`);
    expect(started.expires_in).toBe(120);
    expect(started.interval).toBe(3);
    // Two devices never share codes.
    const other = await startDevice(t.url);
    expect(other.user_code).not.toBe(started.user_code);
    expect(other.device_code).not.toBe(started.device_code);
  });

  it("with a public name (--name, or a --host others reach), hands out the verification address under that name, whatever name the screen used", async () => {
    const { t } = await start({ publicName: "kiosk.site.example" });
    const port = new URL(t.url).port;
    const started = await startDevice(t.url); // the screen reached the server on loopback
    expect(started.verification_uri).toBe(`http://kiosk.site.example:${port}/realms/smartcore/device`);
    expect(started.verification_uri_complete).toBe(`http://kiosk.site.example:${port}/realms/smartcore/device?user_code=${started.user_code}`);
    expect(publicNameOf(["kiosk.site.example"], "0.0.0.0")).toBe("kiosk.site.example");
    expect(publicNameOf([], "10.0.0.5")).toBe("10.0.0.5");
    expect(publicNameOf(undefined, "127.0.0.1")).toBeUndefined();
    expect(publicNameOf([], "0.0.0.0")).toBeUndefined();
  });

  it("refuses a missing client_id (invalid_request), an unknown client (401 invalid_client) and a client without the grant (unauthorized_client)", async () => {
    const { urls } = await start();
    const missing = await postForm(urls.deviceAuthorization, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "client_id is required" });
    const unknown = await postForm(urls.deviceAuthorization, { client_id: "nobody" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe("invalid_client");
    const machine = await postForm(urls.deviceAuthorization, { client_id: "signage-server", client_secret: "signage-secret" });
    expect(machine.status).toBe(400);
    expect(machine.body.error).toBe("unauthorized_client");
    const notForm = await fetch(urls.deviceAuthorization, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(notForm.status).toBe(400);
    expect(((await notForm.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("polling the token endpoint with the device code (RFC 8628 §3.4–3.5)", () => {
  it("answers authorization_pending until approved, then tokens once; the used code is invalid_grant", async () => {
    const { t, clock } = await start({ pollIntervalS: 5 });
    const { device_code, user_code } = await startDevice(t.url);
    const pending = await pollDevice(t.url, device_code);
    expect(pending.status).toBe(400);
    expect(pending.body.error).toBe("authorization_pending");
    expect(typeof pending.body.error_description).toBe("string");

    expect((await postQuery(endpointsOf(t.url).approve, { user_code })).status).toBe(200);
    clock.advance(5_000);
    const granted = await pollDevice(t.url, device_code);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: "Bearer", expires_in: 300, refresh_expires_in: 1800 });
    expect(typeof granted.body.access_token).toBe("string");
    expect(typeof granted.body.refresh_token).toBe("string");
    expect(granted.headers.get("cache-control")).toBe("no-store");

    clock.advance(5_000);
    const again = await pollDevice(t.url, device_code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });

  it("slow_down: a poll sooner than the interval after the previous one adds 5 s to the interval, for good", async () => {
    const { t, clock } = await start({ pollIntervalS: 5 });
    const { device_code } = await startDevice(t.url);
    expect((await pollDevice(t.url, device_code)).body.error).toBe("authorization_pending"); // the first poll may come at once

    clock.advance(4_999); // 1 ms early
    const slow = await pollDevice(t.url, device_code);
    expect(slow.body.error).toBe("slow_down");
    expect(slow.body.error_description).toContain("10 s");

    clock.advance(9_999); // the interval is now 10 s: still early
    const slower = await pollDevice(t.url, device_code);
    expect(slower.body.error).toBe("slow_down");
    expect(slower.body.error_description).toContain("15 s");

    clock.advance(15_000); // exactly the new interval
    expect((await pollDevice(t.url, device_code)).body.error).toBe("authorization_pending");
    clock.advance(10_000); // the old 10 s no longer suffices: the increase stays
    expect((await pollDevice(t.url, device_code)).body.error).toBe("slow_down");
    clock.advance(20_000);
    expect((await pollDevice(t.url, device_code)).body.error).toBe("authorization_pending");
  });

  it("access_denied once denied, and it stays so", async () => {
    const { t, clock } = await start();
    const { device_code, user_code } = await startDevice(t.url);
    expect((await postQuery(endpointsOf(t.url).deny, { user_code })).body).toEqual({ decision: "denied", client: "dashboard" });
    const denied = await pollDevice(t.url, device_code);
    expect(denied.status).toBe(400);
    expect(denied.body.error).toBe("access_denied");
    clock.advance(5_000);
    expect((await pollDevice(t.url, device_code)).body.error).toBe("access_denied");
  });

  it("expired_token from expires_in on (injected clock), whether or not it was approved; approving then fails", async () => {
    const { t, clock } = await start({ deviceCodeTtlS: 60 });
    const pendingOne = await startDevice(t.url);
    const approvedOne = await startDevice(t.url);
    await postQuery(endpointsOf(t.url).approve, { user_code: approvedOne.user_code });
    clock.advance(59_999);
    expect((await pollDevice(t.url, pendingOne.device_code)).body.error).toBe("authorization_pending");
    clock.advance(1);
    const expired = await pollDevice(t.url, pendingOne.device_code);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe("expired_token");
    expect((await pollDevice(t.url, approvedOne.device_code)).body.error).toBe("expired_token");
    const late = await postQuery(endpointsOf(t.url).approve, { user_code: pendingOne.user_code });
    expect(late.status).toBe(410);
    expect(late.body.error).toBe("expired_user_code");
  });

  it("invalid_grant for an unknown device code or one issued to another client; invalid_request without device_code or client_id", async () => {
    const { t, urls } = await start({ clients: [{ clientId: "dashboard", grants: ["device_code"] }, { clientId: "kiosk", grants: ["device_code"] }] });
    const { device_code } = await startDevice(t.url);
    expect((await pollDevice(t.url, "not-a-code")).body.error).toBe("invalid_grant");
    const otherClient = await pollDevice(t.url, device_code, "kiosk");
    expect(otherClient.status).toBe(400);
    expect(otherClient.body).toEqual({ error: "invalid_grant", error_description: "the device code was issued to another client" });
    const noCode = await postForm(urls.token, { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: "dashboard" });
    expect(noCode.body).toEqual({ error: "invalid_request", error_description: "device_code is required" });
    const noClient = await postForm(urls.token, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code });
    expect(noClient.body).toEqual({ error: "invalid_request", error_description: "client_id is required" });
  });

  it("a client allowed no refresh_token grant gets an access token without a refresh token", async () => {
    const { t } = await start({ clients: [{ clientId: "dashboard", grants: ["device_code"] }] });
    const { device_code, user_code } = await startDevice(t.url);
    await postQuery(endpointsOf(t.url).approve, { user_code });
    const granted = await pollDevice(t.url, device_code);
    expect(granted.status).toBe(200);
    expect(granted.body.refresh_token).toBeUndefined();
  });
});
