import { Code } from "@connectrpc/connect";
import { afterEach, expect, it } from "vitest";
import { manualClock, publicationClient, startTestServer, statusOf, type TestServer } from "../testing/test-server.js";
import { clientCredentialsBearer } from "./client-credentials-bearer.js";
import { endpointsOf } from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const tokenRequests = async (url: string) =>
  ((await (await fetch(endpointsOf(url).stats)).json()) as { tokenRequests: { client_credentials: number } }).tokenRequests.client_credentials;

it("fetches one token, shares it, renews it after 80 % of its lifetime and after an UNAUTHENTICATED answer", async () => {
  const clock = manualClock();
  t = await startTestServer({ clock, auth: { accessTtlS: 100 } });
  const bearer = clientCredentialsBearer({ tokenUrl: endpointsOf(t.url).oauth2Token, clientId: "signage-server", clientSecret: "signage-secret", clock });
  const client = publicationClient(t.url, [bearer]);

  await Promise.all([client.listPublications({}), client.listPublications({})]);
  await client.listPublications({});
  expect(await tokenRequests(t.url)).toBe(1);
  clock.advance(79_999);
  await client.listPublications({});
  expect(await tokenRequests(t.url)).toBe(1);
  clock.advance(1);
  await client.listPublications({});
  expect(await tokenRequests(t.url)).toBe(2);

  // A restarted server has a new key (and new counters): the held token is refused once, then replaced.
  t = await t.restart();
  expect(await statusOf(client.listPublications({}))).toBe(Code.Unauthenticated);
  expect(await statusOf(client.listPublications({}))).toBe("ok");
});

it("a refused token request fails the call with UNAUTHENTICATED naming the OAuth error", async () => {
  t = await startTestServer({ auth: {} });
  const bearer = clientCredentialsBearer({ tokenUrl: endpointsOf(t.url).token, clientId: "signage-server", clientSecret: "wrong" });
  const client = publicationClient(t.url, [bearer]);
  await expect(client.listPublications({})).rejects.toMatchObject({ code: Code.Unauthenticated, rawMessage: "token request refused: invalid_client" });
});
