import { afterEach, expect, it } from "vitest";
import { manualClock, startTestServer, statusOf, type TestServer } from "../testing/test-server.js";
import { accessTokenOf, basicAuth, endpointsOf, pollDevice, postForm, postQuery, refreshGrant, startDevice } from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

it("no token, code, password, secret or refresh token reaches a log line during a full flow, failures included", async () => {
  const clock = manualClock();
  const password = "pw-7c1e0b9d-unlogged";
  const secret = "secret-5a2f8e4c-unlogged";
  t = await startTestServer({
    clock,
    faults: true,
    auth: {
      users: [{ username: "operator", password, roles: ["admin"] }],
      clients: [
        { clientId: "dashboard", grants: ["device_code", "refresh_token", "password"] },
        { clientId: "machine", secret, grants: ["client_credentials"], roles: ["signage"] },
      ],
    },
  });
  const urls = endpointsOf(t.url);
  const seen: string[] = [password, secret];

  // Device flow: pending, too fast, approved, tokens; then refresh, reuse, revocation.
  const device = await startDevice(t.url);
  seen.push(device.device_code, device.user_code, device.user_code.replace("-", ""));
  await pollDevice(t.url, device.device_code);
  await pollDevice(t.url, device.device_code); // slow_down
  await postQuery(urls.approve, { user_code: device.user_code });
  clock.advance(60_000);
  const granted = await pollDevice(t.url, device.device_code);
  const refreshed = await refreshGrant(t.url, granted.body.refresh_token as string);
  await refreshGrant(t.url, granted.body.refresh_token as string); // reuse
  seen.push(accessTokenOf(granted), granted.body.refresh_token as string, accessTokenOf(refreshed), refreshed.body.refresh_token as string);

  // Password grant, right and wrong; client credentials, right and wrong.
  const person = await postForm(urls.oauth2Token, { grant_type: "password", username: "operator", password });
  await postForm(urls.oauth2Token, { grant_type: "password", username: "operator", password: `${password}-wrong` });
  await postForm(urls.oauth2Token, { grant_type: "password", username: password, password }); // a password typed as the name
  const machine = await postForm(urls.token, { grant_type: "client_credentials" }, basicAuth("machine", secret));
  await postForm(urls.token, { grant_type: "client_credentials", client_id: "machine", client_secret: `${secret}-wrong` });
  seen.push(accessTokenOf(person), person.body.refresh_token as string, accessTokenOf(machine));

  // The page, the API with good, bad and expired tokens, the revocation fault.
  const other = await startDevice(t.url);
  seen.push(other.user_code, other.device_code);
  await fetch(urls.verification, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `user_code=${other.user_code}&action=deny` });
  await t.clientWithToken(accessTokenOf(person)).listPublications({});
  await statusOf(t.clientWithToken(`${accessTokenOf(person)}tampered`).listPublications({}));
  clock.advance(3_600_000);
  await statusOf(t.clientWithToken(accessTokenOf(machine)).listPublications({}));
  await postQuery(urls.revokeRefreshTokensFault);
  await refreshGrant(t.url, person.body.refresh_token as string);

  const log = t.logs.join("\n");
  expect(log).toContain("auth: token grant=device_code outcome=slow_down"); // the flow was logged…
  expect(log).toContain("ListPublications outcome=unauthenticated");
  for (const value of seen) expect(log).not.toContain(value); // …without a credential
  // Tokens are long: no 20-character piece of one shows either.
  for (const token of seen.filter((value) => value.length > 40)) {
    for (let i = 0; i + 20 <= token.length; i += 10) expect(log).not.toContain(token.slice(i, i + 20));
  }
});
