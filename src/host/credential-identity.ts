/**
 * Claims that change with every token of one sign-in (times, token ids,
 * nonces): left out, so a renewal of a sign-in is the same identity.
 */
const PER_TOKEN_CLAIMS = new Set(["exp", "iat", "nbf", "jti", "auth_time", "at_hash", "c_hash", "nonce", "sid"]);

/**
 * What a bearer token stands for, as far as a server's access policy can
 * tell: for a JWT, its claims without the per-token ones (issuer, subject,
 * roles, scope… — a renewal of the same sign-in gives the same identity;
 * other roles, another account or another sign-in do not); for any other
 * token, the token itself (every new token is then new credentials).
 *
 * Read without verifying the signature: it only decides whether
 * acknowledgements the policy refused are worth asking for again, and when
 * in doubt it says "new" (one more call, never a receipt kept back).
 * Kept in memory only, as the token is.
 */
export function credentialIdentity(token: string): string {
  const claims = jwtClaims(token);
  if (!claims) return `token:${token}`;
  const kept = Object.keys(claims)
    .filter((name) => !PER_TOKEN_CLAIMS.has(name))
    .sort()
    .map((name) => [name, claims[name]]);
  return `jwt:${JSON.stringify(kept)}`;
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The identity each server's credentials last had in this host (memory
 * only), so a token renewal is told apart from new credentials.
 */
export class CredentialIdentities {
  readonly #byServer = new Map<string, string>();

  /** Records `token` as `server`'s credentials; returns whether they stand for someone (or something) else than before. */
  update(server: string, token: string): boolean {
    const identity = credentialIdentity(token);
    const changed = this.#byServer.get(server) !== identity;
    this.#byServer.set(server, identity);
    return changed;
  }

  /** Signed out: whatever comes next is new credentials. */
  forget(server: string): void {
    this.#byServer.delete(server);
  }
}
