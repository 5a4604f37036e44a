/** The realm name in the Keycloak-style paths, unless configured otherwise. */
export const DEFAULT_REALM = "smartcore";

/** Where each identity-provider endpoint lives, relative to the server's origin (`base` = "") or absolute. */
export interface IdentityProviderEndpoints {
  /** RFC 8628 device authorization, Keycloak's path. */
  readonly deviceAuthorization: string;
  /** The token endpoint, Keycloak's path. */
  readonly token: string;
  /** The same token endpoint, Smart Core's own path. */
  readonly oauth2Token: string;
  /** The verification page (RFC 8628 `verification_uri`). */
  readonly verification: string;
  readonly jwks: string;
  readonly discovery: string;
  readonly approve: string;
  readonly deny: string;
  readonly stats: string;
  readonly revokeRefreshTokensFault: string;
}

/** The endpoints of `realm`, under `base` (e.g. `http://127.0.0.1:8700`, or "" for paths). */
export function identityProviderEndpoints(base: string, realm = DEFAULT_REALM): IdentityProviderEndpoints {
  const realmBase = `${base}/realms/${encodeURIComponent(realm)}`;
  return {
    deviceAuthorization: `${realmBase}/protocol/openid-connect/auth/device`,
    token: `${realmBase}/protocol/openid-connect/token`,
    oauth2Token: `${base}/oauth2/token`,
    verification: `${realmBase}/device`,
    jwks: `${realmBase}/protocol/openid-connect/certs`,
    discovery: `${realmBase}/.well-known/openid-configuration`,
    approve: `${base}/auth/approve`,
    deny: `${base}/auth/deny`,
    stats: `${base}/auth/stats`,
    revokeRefreshTokensFault: `${base}/faults/revoke-refresh-tokens`,
  };
}
