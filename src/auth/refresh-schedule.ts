import type { RandomSource } from "../core/random.js";
import type { TokenGrant } from "./token-endpoint.js";

/**
 * When in a token's lifetime it is renewed: a fraction drawn uniformly
 * from [`from`, `to`] for each token. Default 75–85 %: about 80 %, spread
 * so that a fleet of screens signed in at the same moment (a power cut
 * ending) does not renew in step, and early enough that a renewal that
 * fails once can be retried before the token expires.
 */
export interface RefreshWindow {
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_REFRESH_WINDOW: RefreshWindow = { from: 0.75, to: 0.85 };

/** Never renew closer than this to the refresh token's own expiry (when the server tells it). */
const REFRESH_TOKEN_MARGIN_MS = 30_000;

/** Throws a RangeError unless 0 < from ≤ to ≤ 0.9 (the last tenth of a lifetime is the expiry margin, below). */
export function checkRefreshWindow(window: RefreshWindow): RefreshWindow {
  if (!(window.from > 0 && window.from <= window.to && window.to <= 0.9)) {
    throw new RangeError(`the refresh window needs 0 < from <= to <= 0.9, got from=${window.from} to=${window.to}`);
  }
  return window;
}

/**
 * The clock time at which to renew `grant`: its jittered point in the
 * access token's lifetime, or earlier when the refresh token itself would
 * expire first (Keycloak's idle session: renewing keeps it alive).
 */
export function refreshTimeOf(grant: Pick<TokenGrant, "issuedAt" | "expiresAt" | "refreshExpiresAt">, window: RefreshWindow, random: RandomSource): number {
  const lifetime = grant.expiresAt - grant.issuedAt;
  const fraction = window.from + (window.to - window.from) * random();
  const planned = grant.issuedAt + Math.round(lifetime * fraction);
  if (grant.refreshExpiresAt === undefined) return planned;
  return Math.max(grant.issuedAt, Math.min(planned, grant.refreshExpiresAt - REFRESH_TOKEN_MARGIN_MS));
}

/**
 * Whether a token may still be handed out at `now`: a call made with it must
 * reach the server before it expires, so the last 5 s (or the last tenth of
 * a short lifetime) do not count.
 */
export function isUsable(token: { readonly issuedAt: number; readonly expiresAt: number }, now: number): boolean {
  const margin = Math.min(5_000, (token.expiresAt - token.issuedAt) / 10);
  return now < token.expiresAt - margin;
}
