import type { IncomingMessage } from "node:http";
import type { Clock } from "../../core/clock.js";
import type { IdentityProviderStats, TokenRequestCounts } from "./auth-stats.js";
import { authenticateClient } from "./client-authentication.js";
import type { IdentityProviderEndpoints } from "./endpoints.js";
import { FormError, readForm } from "./form-body.js";
import { DEVICE_CODE_GRANT_TYPE, exchangeForTokens, type GrantDeps } from "./grants.js";
import { OAuthError } from "./oauth-error.js";
import { originOf, replyJson, replyOAuthError } from "./replies.js";
import type { Route } from "./route-table.js";

export interface OAuthRouteDeps extends GrantDeps {
  /** Paths (relative to the origin). */
  readonly paths: IdentityProviderEndpoints;
  readonly realm: string;
  readonly issuer: string;
  /** See `IdentityProviderOptions.publicName`. */
  readonly publicName: string | undefined;
  readonly counts: TokenRequestCounts;
  readonly stats: () => IdentityProviderStats;
  readonly faults: boolean;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

/**
 * The OAuth endpoints: device authorization (RFC 8628 §3.1), the token
 * endpoint under both path styles, the JWK Set, OpenID discovery,
 * `/auth/stats` and (with faults) `/faults/revoke-refresh-tokens`. Log lines
 * name the grant, the outcome and the subject, never a credential.
 */
export function createOAuthRoutes(deps: OAuthRouteDeps): Map<string, Route> {
  const { paths, log } = deps;

  const token: Route = {
    async POST(req, res) {
      const started = deps.clock.now();
      const params = await formOrOAuthError(req);
      const outcome =
        params instanceof OAuthError
          ? { grant: "other" as const, result: { ok: false as const, error: params } }
          : await exchangeForTokens(deps, params, req.headers.authorization);
      const { grant, result } = outcome;
      deps.counts.count(grant, result.ok);
      const detail = result.ok ? `ok sub=${JSON.stringify(result.subject)}` : result.error.code;
      log(`auth: token grant=${grant} outcome=${detail} ${deps.clock.now() - started}ms`);
      if (result.ok) replyJson(res, 200, result.response);
      else replyOAuthError(res, result.error);
    },
  };

  const routes = new Map<string, Route>([
    [
      paths.deviceAuthorization,
      {
        async POST(req, res) {
          try {
            const params = await formOrOAuthError(req);
            if (params instanceof OAuthError) throw params;
            const client = authenticateClient(deps.accounts, params, req.headers.authorization, "device_code");
            if (client === undefined) throw new OAuthError("invalid_request", "client_id is required");
            const started = deps.devices.start(client.clientId, params.get("scope") ?? "");
            const verificationUri = originOf(req, deps.publicName) + paths.verification;
            log(`auth: device authorization started client=${JSON.stringify(client.clientId)} expires_in=${started.expiresInS}s`);
            replyJson(res, 200, {
              device_code: started.deviceCode,
              user_code: started.userCode,
              verification_uri: verificationUri,
              verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(started.userCode)}`,
              expires_in: started.expiresInS,
              interval: started.intervalS,
            });
          } catch (err) {
            if (!(err instanceof OAuthError)) throw err;
            log(`auth: device authorization refused: ${err.code}`);
            replyOAuthError(res, err);
          }
        },
      },
    ],
    [paths.token, token],
    [paths.oauth2Token, token],
    [paths.jwks, { GET: async (_req, res) => replyJson(res, 200, await deps.accessTokens.jwks()) }],
    [
      paths.discovery,
      {
        async GET(req, res) {
          const origin = originOf(req);
          replyJson(res, 200, {
            issuer: deps.issuer,
            token_endpoint: origin + paths.token,
            device_authorization_endpoint: origin + paths.deviceAuthorization,
            jwks_uri: origin + paths.jwks,
            grant_types_supported: [DEVICE_CODE_GRANT_TYPE, "refresh_token", "password", "client_credentials"],
            token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
          });
        },
      },
    ],
    [paths.stats, { GET: async (_req, res) => replyJson(res, 200, deps.stats()) }],
  ]);
  if (deps.faults) {
    routes.set(paths.revokeRefreshTokensFault, {
      async POST(req, res) {
        req.resume();
        const revoked = deps.refreshTokens.revokeAll();
        log(`auth: fault: revoked ${revoked} refresh token(s)`);
        replyJson(res, 200, { revoked });
      },
    });
  }
  return routes;
}

async function formOrOAuthError(req: IncomingMessage): Promise<URLSearchParams | OAuthError> {
  try {
    return await readForm(req);
  } catch (err) {
    if (err instanceof FormError) return new OAuthError("invalid_request", err.message);
    throw err;
  }
}
