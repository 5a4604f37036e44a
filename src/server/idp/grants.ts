import type { AccessTokens, AccessTokenSubject } from "./access-tokens.js";
import type { Accounts, ClientAccount, GrantName } from "./accounts.js";
import { authenticateClient } from "./client-authentication.js";
import type { DeviceAuthorizations } from "./device-authorizations.js";
import { OAuthError } from "./oauth-error.js";
import type { RefreshTokens } from "./refresh-tokens.js";

/** The device grant's `grant_type` (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

const GRANT_TYPES: Readonly<Record<string, GrantName>> = {
  [DEVICE_CODE_GRANT_TYPE]: "device_code",
  refresh_token: "refresh_token",
  password: "password",
  client_credentials: "client_credentials",
};

/** A successful token answer (RFC 6749 §5.1; `refresh_expires_in` as Keycloak adds it). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly refresh_expires_in?: number;
  readonly scope?: string;
}

/** What one token request asked for (for counting and logging) and how it went. */
export interface TokenOutcome {
  /** The grant by short name, or "other" for a missing or unsupported `grant_type`. */
  readonly grant: GrantName | "other";
  readonly result: { readonly ok: true; readonly response: TokenResponse; readonly subject: string } | { readonly ok: false; readonly error: OAuthError };
}

export interface GrantDeps {
  readonly accounts: Accounts;
  readonly devices: DeviceAuthorizations;
  readonly refreshTokens: RefreshTokens;
  readonly accessTokens: AccessTokens;
}

/**
 * The token endpoint's logic, without HTTP: the device-code, refresh-token,
 * password and client-credentials grants. Every refusal is an
 * {@link OAuthError} in the outcome, never a throw.
 */
export async function exchangeForTokens(deps: GrantDeps, params: URLSearchParams, authorization: string | undefined): Promise<TokenOutcome> {
  const grantType = params.get("grant_type");
  const grant = grantType === null ? undefined : GRANT_TYPES[grantType];
  try {
    if (grantType === null || grantType === "") throw new OAuthError("invalid_request", "grant_type is required");
    if (grant === undefined) throw new OAuthError("unsupported_grant_type", "supported: device_code (RFC 8628), refresh_token, password, client_credentials");
    const client = authenticateClient(deps.accounts, params, authorization, grant);
    const { response, subject } = await GRANTS[grant](deps, params, client);
    return { grant, result: { ok: true, response, subject } };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    return { grant: grant ?? "other", result: { ok: false, error: err } };
  }
}

type Grant = (deps: GrantDeps, params: URLSearchParams, client: ClientAccount | undefined) => Promise<{ response: TokenResponse; subject: string }>;

const GRANTS: Readonly<Record<GrantName, Grant>> = {
  async device_code(deps, params, client) {
    if (client === undefined) throw new OAuthError("invalid_request", "client_id is required");
    const { user, scope } = deps.devices.poll(required(params, "device_code"), client.clientId);
    return signIn(deps, client, { subject: user.username, clientId: client.clientId, scope, roles: user.roles });
  },

  async password(deps, params, client) {
    const username = required(params, "username");
    const user = deps.accounts.checkPassword(username, required(params, "password"));
    if (user === undefined) throw new OAuthError("invalid_grant", "wrong username or password");
    const scope = params.get("scope") ?? "";
    return signIn(deps, client, { subject: user.username, clientId: client?.clientId ?? "", scope, roles: user.roles });
  },

  async refresh_token(deps, params, client) {
    const { grant, next } = deps.refreshTokens.rotate(required(params, "refresh_token"), client?.clientId ?? "");
    const access = await deps.accessTokens.issue(grant);
    return { response: tokenResponse(access, grant.scope, next), subject: grant.subject };
  },

  async client_credentials(deps, params, client) {
    if (client === undefined) throw new OAuthError("invalid_client", "client authentication is required");
    if (client.secret === undefined) throw new OAuthError("unauthorized_client", "a public client cannot use client_credentials");
    const scope = params.get("scope") ?? "";
    const access = await deps.accessTokens.issue({ subject: client.clientId, clientId: client.clientId, scope, roles: client.roles ?? [] });
    // RFC 6749 §4.4.3: no refresh token; the machine asks again with its secret.
    return { response: tokenResponse(access, scope, undefined), subject: client.clientId };
  },
};

/** An access token, plus a refresh token unless the client may not refresh. */
async function signIn(deps: GrantDeps, client: ClientAccount | undefined, subject: AccessTokenSubject) {
  const access = await deps.accessTokens.issue(subject);
  const mayRefresh = client === undefined || client.grants.includes("refresh_token");
  const refresh = mayRefresh ? deps.refreshTokens.issue(subject) : undefined;
  return { response: tokenResponse(access, subject.scope, refresh), subject: subject.subject };
}

function tokenResponse(
  access: { token: string; expiresInS: number },
  scope: string,
  refresh: { token: string; expiresInS: number } | undefined,
): TokenResponse {
  return {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresInS,
    ...(refresh === undefined ? {} : { refresh_token: refresh.token, refresh_expires_in: refresh.expiresInS }),
    ...(scope === "" ? {} : { scope }),
  };
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === "") throw new OAuthError("invalid_request", `${name} is required`);
  return value;
}
