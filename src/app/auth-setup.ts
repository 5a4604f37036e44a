import { AuthConfigError, deviceFlowConfigOf, type DeviceFlowEndpoints } from "../entries/auth.js";

/** Smart Core's web UI config document, served by the deployment beside the app. */
export const SMART_CORE_CONFIG_PATH = "/__/scos/config.json";

/**
 * Where the app's sign-in comes from, read from its query string:
 * - `token=…` (test only): that fixed token, no sign-in;
 * - `auth=off`: no sign-in, no config document;
 * - `auth=device` with `clientId` and either `deviceUrl` + `tokenUrl` or
 *   `keycloakUrl` + `realm` (tests): those endpoints;
 * - `authConfig=<url>`: the config document at that address;
 * - otherwise Smart Core's `/__/scos/config.json` on this origin (its
 *   `auth.deviceFlow` / `auth.keycloak`; none there: no sign-in).
 */
export type AuthSource =
  | { readonly kind: "none" }
  | { readonly kind: "endpoints"; readonly endpoints: DeviceFlowEndpoints }
  | { readonly kind: "document"; readonly url: string };

/** Throws an AuthConfigError for `auth=device` parameters that do not describe a sign-in. */
export function authSourceOf(search: string, origin: string): AuthSource {
  const query = new URLSearchParams(search);
  if (query.has("token") || query.get("auth") === "off") return { kind: "none" };
  if (query.get("auth") === "device") {
    const param = (name: string) => query.get(name) ?? undefined;
    const keycloakUrl = param("keycloakUrl");
    const section = keycloakUrl
      ? { deviceFlow: true, keycloak: { url: keycloakUrl, realm: param("realm"), clientId: param("clientId") } }
      : { deviceFlow: true, clientId: param("clientId"), deviceUrl: param("deviceUrl"), tokenUrl: param("tokenUrl") };
    return { kind: "endpoints", endpoints: deviceFlowConfigOf({ auth: section }, origin)! };
  }
  return { kind: "document", url: new URL(query.get("authConfig") ?? SMART_CORE_CONFIG_PATH, origin).href };
}

/** A fetch of a JSON document: its status and body text; rejects on a network failure. */
export type FetchDocument = (url: string) => Promise<{ readonly status: number; readonly text: string }>;

/**
 * The device-flow endpoints from `source`. A config document that is
 * missing (404), not JSON, or asks for no device sign-in means none. One
 * that cannot be fetched (the screen booted offline) is asked for again,
 * waiting a little longer each time (5 s doubling to 5 min), until it
 * answers: the cached data shows meanwhile.
 */
export async function loadDeviceFlowConfig(
  source: AuthSource,
  fetchDocument: FetchDocument,
  wait: (ms: number) => Promise<void>,
  warn: (message: string) => void,
): Promise<DeviceFlowEndpoints | undefined> {
  if (source.kind === "none") return undefined;
  if (source.kind === "endpoints") return source.endpoints;
  for (let delay = 5_000; ; delay = Math.min(delay * 2, 300_000)) {
    let answer: { status: number; text: string };
    try {
      answer = await fetchDocument(source.url);
    } catch {
      await wait(delay);
      continue;
    }
    if (answer.status >= 500) {
      await wait(delay);
      continue;
    }
    if (answer.status !== 200) return undefined;
    let document: unknown;
    try {
      document = JSON.parse(answer.text);
    } catch {
      warn(`${source.url} is not JSON: no sign-in`);
      return undefined;
    }
    try {
      return deviceFlowConfigOf(document, source.url);
    } catch (error) {
      if (!(error instanceof AuthConfigError)) throw error;
      warn(`${source.url}: ${error.message}: no sign-in`);
      return undefined;
    }
  }
}
