import type { DeviceFlowEndpoints } from "./device-flow-options.js";

/** A sign-in configuration that cannot work; the message names the field. */
export class AuthConfigError extends Error {
  override readonly name = "AuthConfigError";
}

/**
 * The device-flow endpoints from a Smart Core UI config document (what
 * `/__/scos/config.json` serves), as Smart Core's signage app names them:
 *
 * ```json
 * { "auth": { "deviceFlow": true, "keycloak": { "url": "https://kc.example", "realm": "smartcore", "clientId": "dashboard" } } }
 * { "auth": { "deviceFlow": true, "clientId": "dashboard", "deviceUrl": "https://…/auth/device", "tokenUrl": "https://…/token" } }
 * ```
 *
 * Keycloak's paths are `{url}/realms/{realm}/protocol/openid-connect/{auth/device,token}`
 * (an old Keycloak's `/auth` prefix belongs in `url`). Relative URLs are
 * resolved against `baseUrl` (the config document's own address).
 * Returns `undefined` when the document asks for no device sign-in (no
 * `auth`, or `deviceFlow` not `true`); throws {@link AuthConfigError} when
 * it asks for one it does not describe fully.
 */
export function deviceFlowConfigOf(document: unknown, baseUrl: string): DeviceFlowEndpoints | undefined {
  const auth = record(document)?.auth;
  if (auth === undefined) return undefined;
  const section = record(auth);
  if (!section) throw new AuthConfigError("auth must be an object");
  if (section.deviceFlow !== true) return undefined;
  const scope = optionalText(section.scope, "auth.scope");
  if (section.keycloak !== undefined) {
    const keycloak = record(section.keycloak);
    if (!keycloak) throw new AuthConfigError("auth.keycloak must be an object");
    const url = webUrl(keycloak.url, "auth.keycloak.url", baseUrl).replace(/\/+$/, "");
    const realm = text(keycloak.realm, "auth.keycloak.realm");
    const base = `${url}/realms/${encodeURIComponent(realm)}/protocol/openid-connect`;
    return checkDeviceFlowEndpoints({
      clientId: text(keycloak.clientId, "auth.keycloak.clientId"),
      deviceUrl: `${base}/auth/device`,
      tokenUrl: `${base}/token`,
      ...(scope && { scope }),
    });
  }
  return checkDeviceFlowEndpoints({
    clientId: text(section.clientId, "auth.clientId"),
    deviceUrl: webUrl(section.deviceUrl, "auth.deviceUrl", baseUrl),
    tokenUrl: webUrl(section.tokenUrl, "auth.tokenUrl", baseUrl),
    ...(scope && { scope }),
  });
}

/** `endpoints` if its client id is set and both URLs are absolute http(s) URLs; else an {@link AuthConfigError}. */
export function checkDeviceFlowEndpoints<T extends DeviceFlowEndpoints>(endpoints: T): T {
  text(endpoints.clientId, "clientId");
  webUrl(endpoints.deviceUrl, "deviceUrl");
  webUrl(endpoints.tokenUrl, "tokenUrl");
  return endpoints;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new AuthConfigError(`${field} must be a non-empty string`);
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

function webUrl(value: unknown, field: string, baseUrl?: string): string {
  const raw = text(value, field);
  let url: URL;
  try {
    url = new URL(raw, baseUrl);
  } catch {
    throw new AuthConfigError(`${field} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AuthConfigError(`${field} must be an http(s) URL`);
  return url.href;
}
