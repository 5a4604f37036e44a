import type { IncomingMessage, ServerResponse } from "node:http";
import type { Interceptor } from "@connectrpc/connect";
import type { Clock } from "../../core/clock.js";
import { ServerStartError } from "../start-error.js";
import { AccessTokens } from "./access-tokens.js";
import { Accounts, DEFAULT_ALLOWED_ROLES, DEFAULT_CLIENTS, DEFAULT_READ_ONLY_ROLES, DEFAULT_USERS, type ClientAccount, type UserAccount } from "./accounts.js";
import { createApprovalRoutes } from "./approval-routes.js";
import { TokenRequestCounts, type IdentityProviderStats } from "./auth-stats.js";
import { requireAccessToken } from "./bearer-jwt-interceptor.js";
import { DeviceAuthorizations } from "./device-authorizations.js";
import { DEFAULT_REALM, identityProviderEndpoints } from "./endpoints.js";
import { createOAuthRoutes } from "./oauth-routes.js";
import { RefreshTokens } from "./refresh-tokens.js";
import { dispatch } from "./route-table.js";

/** Lifetimes and accounts of the development identity provider; every field has a documented default. */
export interface IdentityProviderOptions {
  /** Realm name in the Keycloak-style paths `/realms/<realm>/…`. Default `smartcore`. */
  readonly realm?: string;
  /** Access-token lifetime in seconds (`--access-ttl`). Default 300 (Keycloak's 5 minutes). */
  readonly accessTtlS?: number;
  /** Refresh-token lifetime in seconds, counted from each rotation (`--refresh-ttl`). Default 1800. */
  readonly refreshTtlS?: number;
  /** Device-code lifetime in seconds (RFC 8628 `expires_in`). Default 600. */
  readonly deviceCodeTtlS?: number;
  /** Polling interval handed to devices (RFC 8628 `interval`). Default 5. */
  readonly pollIntervalS?: number;
  /** People. Default {@link DEFAULT_USERS}: `admin`/`admin`, `denied`/`denied`, `viewer`/`viewer`. */
  readonly users?: readonly UserAccount[];
  /** OAuth clients. Default {@link DEFAULT_CLIENTS}: public `dashboard`, `signage-server`/`signage-secret`. */
  readonly clients?: readonly ClientAccount[];
  /** The publication API serves every call of tokens holding one of these roles. Default `admin`, `signage`. */
  readonly allowedRoles?: readonly string[];
  /**
   * Tokens holding one of these roles (and no allowed one) may call Get*,
   * List*, Pull* and Describe* only; their other calls (Create, Update,
   * Delete, AcknowledgePublication) get PERMISSION_DENIED. Default `viewer`.
   * Tokens with neither get PERMISSION_DENIED on every call.
   */
  readonly readOnlyRoles?: readonly string[];
  /** A rotated refresh token used again revokes its whole family. Default true. */
  readonly revokeFamilyOnReuse?: boolean;
  /** `iss` of the tokens. Default `pubcache-dev/realms/<realm>`. */
  readonly issuer?: string;
  /**
   * The name people's phones and other devices reach this server by (the
   * `--name`, or a `--host` that is no wildcard or loopback): the
   * verification address a screen shows (RFC 8628 `verification_uri`) uses
   * it, as Keycloak uses its configured hostname. Default: the name in the
   * request's `Host` header.
   */
  readonly publicName?: string;
  /** `aud` of the tokens. Default `smartcore-publications`. */
  readonly audience?: string;
}

/** What the server it runs in gives it. */
export interface IdentityProviderHost {
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Mounts `POST /faults/revoke-refresh-tokens`. */
  readonly faults: boolean;
}

/** A development identity provider, mounted into a Node HTTP server. */
export interface IdentityProvider {
  /**
   * Serves `req` when its path is one of the provider's (answering
   * asynchronously) and returns true; returns false, touching nothing,
   * for any other path.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** For the publication API: every call needs a valid bearer JWT from this provider. */
  readonly interceptor: Interceptor;
  /** What `GET /auth/stats` answers. */
  stats(): IdentityProviderStats;
}

/**
 * Creates the development identity provider (README: "Identity provider
 * (`--auth`)"): RFC 8628 device authorization, a token endpoint with the
 * device-code, refresh-token (rotating), password and client-credentials
 * grants, a verification page and approve/deny endpoints, ES256 JWT access
 * tokens. All state is in memory and lost with the process. Throws
 * {@link ServerStartError} for an unusable option.
 */
export async function createIdentityProvider(options: IdentityProviderOptions, host: IdentityProviderHost): Promise<IdentityProvider> {
  const realm = options.realm ?? DEFAULT_REALM;
  if (!/^[A-Za-z0-9_-]+$/.test(realm)) throw new ServerStartError(`auth realm must be letters, digits, "-" or "_", not ${JSON.stringify(realm)}`);
  const seconds = (name: string, value: number | undefined, fallback: number) => {
    const s = value ?? fallback;
    if (!Number.isInteger(s) || s <= 0) throw new ServerStartError(`auth ${name} must be a whole number of seconds above 0, not ${s}`);
    return s;
  };
  const accessTtlS = seconds("accessTtlS", options.accessTtlS, 300);
  const refreshTtlS = seconds("refreshTtlS", options.refreshTtlS, 1800);
  const deviceCodeTtlS = seconds("deviceCodeTtlS", options.deviceCodeTtlS, 600);
  const pollIntervalS = seconds("pollIntervalS", options.pollIntervalS, 5);
  const { clock, log } = host;
  const issuer = options.issuer ?? `pubcache-dev/realms/${realm}`;

  const accounts = new Accounts(options.users ?? DEFAULT_USERS, options.clients ?? DEFAULT_CLIENTS);
  const devices = new DeviceAuthorizations({ clock, ttlS: deviceCodeTtlS, intervalS: pollIntervalS });
  const refreshTokens = new RefreshTokens({ clock, ttlS: refreshTtlS, revokeFamilyOnReuse: options.revokeFamilyOnReuse ?? true });
  const accessTokens = await AccessTokens.create({ clock, issuer, audience: options.audience ?? "smartcore-publications", ttlS: accessTtlS });
  const counts = new TokenRequestCounts();
  const stats = (): IdentityProviderStats => ({
    ...counts.snapshot(),
    deviceAuthorizations: devices.counts(),
    activeRefreshTokens: refreshTokens.activeCount(),
  });

  const paths = identityProviderEndpoints("", realm);
  const routes = new Map([
    ...createOAuthRoutes({ paths, realm, issuer, publicName: options.publicName, accounts, devices, refreshTokens, accessTokens, counts, stats, faults: host.faults, clock, log }),
    ...createApprovalRoutes({ paths, realm, accounts, devices, log }),
  ]);
  const onError = (path: string, err: unknown) =>
    log(`auth: internal error on ${path}: ${err instanceof Error ? err.name : typeof err}`);

  return {
    handle: (req, res) => dispatch(routes, req, res, onError),
    interceptor: requireAccessToken(accessTokens, {
      allowedRoles: options.allowedRoles ?? DEFAULT_ALLOWED_ROLES,
      readOnlyRoles: options.readOnlyRoles ?? DEFAULT_READ_ONLY_ROLES,
    }),
    stats,
  };
}
