/**
 * Test support for the development identity provider: its endpoints called
 * over real HTTP with plain fetch, as a browser dashboard calls them.
 */
import { identityProviderEndpoints, type IdentityProviderEndpoints } from "../endpoints.js";
import { DEVICE_CODE_GRANT_TYPE } from "../grants.js";

/** An answer: status, parsed JSON body and headers. */
export interface JsonAnswer {
  readonly status: number;
  // Tests read whichever fields the endpoint answers.
  readonly body: Record<string, unknown> & { error?: string; error_description?: string };
  readonly headers: Headers;
}

/** The endpoints of a server at `baseUrl` (default realm). */
export function endpointsOf(baseUrl: string): IdentityProviderEndpoints {
  return identityProviderEndpoints(baseUrl);
}

/** POSTs `params` form-urlencoded. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as JsonAnswer["body"], headers: res.headers };
}

/** POSTs with an empty body and parameters in the query (the approve/deny and fault endpoints). */
export async function postQuery(url: string, params: Record<string, string> = {}): Promise<JsonAnswer> {
  const res = await fetch(`${url}?${new URLSearchParams(params)}`, { method: "POST" });
  return { status: res.status, body: (await res.json()) as JsonAnswer["body"], headers: res.headers };
}

/** `Authorization: Basic …` for a client id and secret (RFC 6749 §2.3.1: each form-urlencoded first). */
export function basicAuth(clientId: string, secret: string): { authorization: string } {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, "+");
  return { authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}` };
}

/** Starts a device authorization for `clientId` (default `dashboard`). */
export async function startDevice(baseUrl: string, clientId = "dashboard") {
  const answer = await postForm(endpointsOf(baseUrl).deviceAuthorization, { client_id: clientId });
  if (answer.status !== 200) throw new Error(`device authorization failed: ${JSON.stringify(answer.body)}`);
  return answer.body as {
    device_code: string;
    user_code: string;
    verification_uri: string;
    verification_uri_complete: string;
    expires_in: number;
    interval: number;
  };
}

/** One device-code poll of the token endpoint. */
export function pollDevice(baseUrl: string, deviceCode: string, clientId = "dashboard"): Promise<JsonAnswer> {
  return postForm(endpointsOf(baseUrl).token, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, client_id: clientId });
}

/** A password-grant token answer (default `admin`/`admin`, client `dashboard`). */
export function passwordGrant(baseUrl: string, username = "admin", password = "admin"): Promise<JsonAnswer> {
  return postForm(endpointsOf(baseUrl).token, { grant_type: "password", username, password, client_id: "dashboard" });
}

/** A refresh of `refreshToken` for client `dashboard`. */
export function refreshGrant(baseUrl: string, refreshToken: string, clientId = "dashboard"): Promise<JsonAnswer> {
  return postForm(endpointsOf(baseUrl).token, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
}

/** The `access_token` of a successful answer, or a thrown error naming the OAuth error. */
export function accessTokenOf(answer: JsonAnswer): string {
  if (answer.status !== 200 || typeof answer.body.access_token !== "string") throw new Error(`no token: ${JSON.stringify(answer.body)}`);
  return answer.body.access_token;
}
