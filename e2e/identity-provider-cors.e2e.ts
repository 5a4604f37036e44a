import { expect, test } from "@playwright/test";
import { DevServer } from "./support/dev-server.js";

/**
 * The dashboard (page on http://localhost:<preview>) calls the development
 * identity provider (http://127.0.0.1:<port>) cross-origin: real Chromium
 * enforces CORS, preflights included, which Node's fetch never does.
 */
test("a page on another origin runs the device flow, client credentials with HTTP Basic (preflight), a refresh and a bearer RPC", async ({ page }) => {
  const server = await DevServer.start({ auth: true });
  try {
    await page.goto("/?sw=0");
    const base = server.url;
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });

    // 1. The screen asks for a code (a simple form POST).
    const device = await page.evaluate(
      async ({ base, init }) => (await fetch(`${base}/realms/smartcore/protocol/openid-connect/auth/device`, init)).json(),
      { base, init: form({ client_id: "dashboard" }) },
    );
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);

    // 2. A pending poll: the page reads the error body.
    const token = `${base}/realms/smartcore/protocol/openid-connect/token`;
    const poll = form({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: device.device_code, client_id: "dashboard" });
    const pending = await page.evaluate(async ({ token, init }) => {
      const res = await fetch(token, init);
      return { status: res.status, body: await res.json() };
    }, { token, init: poll });
    expect(pending).toMatchObject({ status: 400, body: { error: "authorization_pending" } });

    // 3. A person approves in Node; the next poll (after the interval) gets tokens.
    expect((await fetch(`${base}/auth/approve?user_code=${device.user_code}`, { method: "POST" })).status).toBe(200);
    await page.waitForTimeout(device.interval * 1000);
    const granted = await page.evaluate(async ({ token, init }) => (await fetch(token, init)).json(), { token, init: poll });
    expect(granted.token_type).toBe("Bearer");

    // 4. A refresh from Smart Core's path, and an RPC with the bearer token (preflighted: Authorization header).
    const refreshed = await page.evaluate(
      async ({ url, init }) => (await fetch(url, init)).json(),
      { url: `${base}/oauth2/token`, init: form({ grant_type: "refresh_token", refresh_token: granted.refresh_token, client_id: "dashboard" }) },
    );
    expect(typeof refreshed.access_token).toBe("string");
    const rpc = (authorization: string | undefined) =>
      page.evaluate(
        async ({ base, authorization }) => {
          const res = await fetch(`${base}/smartcore.traits.PublicationApi/ListPublications`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
            body: "{}",
          });
          return { status: res.status, body: await res.json() };
        },
        { base, authorization },
      );
    expect((await rpc(`Bearer ${refreshed.access_token}`)).status).toBe(200);
    expect(await rpc(undefined)).toMatchObject({ status: 401, body: { code: "unauthenticated", message: "missing bearer token" } });

    // 5. A machine with HTTP Basic (an Authorization header: preflight); a wrong secret's 401 and its challenge are readable.
    const basic = (secret: string) =>
      page.evaluate(
        async ({ url, authorization }) => {
          const res = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", authorization },
            body: "grant_type=client_credentials",
          });
          return { status: res.status, body: await res.json(), challenge: res.headers.get("www-authenticate") };
        },
        { url: token, authorization: `Basic ${Buffer.from(`signage-server:${secret}`).toString("base64")}` },
      );
    const machine = await basic("signage-secret");
    expect(machine.status).toBe(200);
    expect(typeof machine.body.access_token).toBe("string");
    expect(await basic("wrong")).toMatchObject({ status: 401, body: { error: "invalid_client" }, challenge: expect.stringMatching(/^Basic /) });
  } finally {
    await server.dispose();
  }
});
