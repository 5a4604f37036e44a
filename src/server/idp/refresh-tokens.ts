import { randomUUID } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { OAuthError } from "./oauth-error.js";
import { hashSecret, newOpaqueSecret } from "./secrets.js";

/** Who and what a refresh token stands for; every token of one sign-in (a family) carries the same. */
export interface RefreshGrant {
  readonly subject: string;
  /** The client it was issued to; "" when the request named none (password grant without client_id). */
  readonly clientId: string;
  readonly scope: string;
  readonly roles: readonly string[];
}

export interface IssuedRefreshToken {
  readonly token: string;
  readonly expiresInS: number;
}

interface Stored {
  readonly family: string;
  readonly grant: RefreshGrant;
  readonly expiresAt: number;
  state: "active" | "rotated" | "revoked";
}

/**
 * Opaque refresh tokens with rotation, in memory, keyed by their SHA-256 hash
 * (the tokens themselves are never kept). Each refresh answers a new token
 * with a fresh lifetime and retires the old one. Presenting a retired token
 * again is taken as theft (OAuth 2.0 Security BCP §4.14.2): `invalid_grant`,
 * and with `revokeFamilyOnReuse` every token of that sign-in is revoked too.
 */
export class RefreshTokens {
  readonly #clock: Clock;
  readonly #ttlS: number;
  readonly #revokeFamilyOnReuse: boolean;
  readonly #byHash = new Map<string, Stored>();

  constructor(options: { readonly clock: Clock; readonly ttlS: number; readonly revokeFamilyOnReuse: boolean }) {
    this.#clock = options.clock;
    this.#ttlS = options.ttlS;
    this.#revokeFamilyOnReuse = options.revokeFamilyOnReuse;
  }

  /** A refresh token starting a new family (a new sign-in). */
  issue(grant: RefreshGrant): IssuedRefreshToken {
    this.#prune();
    return this.#store(grant, randomUUID());
  }

  /**
   * Exchanges `token` for a new one of the same family. Throws
   * `invalid_grant` for an unknown, expired, revoked or already used token,
   * or one issued to another client than `clientId` ("" = none named).
   */
  rotate(token: string, clientId: string): { readonly grant: RefreshGrant; readonly next: IssuedRefreshToken } {
    const stored = this.#byHash.get(hashSecret(token));
    if (stored === undefined) throw new OAuthError("invalid_grant", "unknown refresh token");
    if (stored.grant.clientId !== clientId) throw new OAuthError("invalid_grant", "the refresh token was issued to another client");
    if (stored.state === "revoked") throw new OAuthError("invalid_grant", "the refresh token was revoked: sign in again");
    if (stored.state === "rotated") {
      if (this.#revokeFamilyOnReuse) this.#revokeFamily(stored.family);
      throw new OAuthError(
        "invalid_grant",
        this.#revokeFamilyOnReuse
          ? "the refresh token was already used; every token of this sign-in is now revoked: sign in again"
          : "the refresh token was already used",
      );
    }
    if (this.#clock.now() >= stored.expiresAt) throw new OAuthError("invalid_grant", "the refresh token has expired: sign in again");
    stored.state = "rotated";
    return { grant: stored.grant, next: this.#store(stored.grant, stored.family) };
  }

  /** Revokes every active refresh token (the fault endpoint); returns how many. */
  revokeAll(): number {
    let revoked = 0;
    for (const stored of this.#byHash.values()) {
      if (stored.state === "active") {
        stored.state = "revoked";
        revoked++;
      }
    }
    return revoked;
  }

  /** Refresh tokens that would be accepted now. */
  activeCount(): number {
    const now = this.#clock.now();
    let active = 0;
    for (const stored of this.#byHash.values()) if (stored.state === "active" && now < stored.expiresAt) active++;
    return active;
  }

  #store(grant: RefreshGrant, family: string): IssuedRefreshToken {
    const token = newOpaqueSecret();
    this.#byHash.set(hashSecret(token), { family, grant, expiresAt: this.#clock.now() + this.#ttlS * 1000, state: "active" });
    return { token, expiresInS: this.#ttlS };
  }

  #revokeFamily(family: string): void {
    for (const stored of this.#byHash.values()) if (stored.family === family) stored.state = "revoked";
  }

  /** Forgets tokens a lifetime past their expiry (until then they answer "expired" / "already used"). */
  #prune(): void {
    const cutoff = this.#clock.now() - this.#ttlS * 1000;
    for (const [hash, stored] of this.#byHash) if (stored.expiresAt < cutoff) this.#byHash.delete(hash);
  }
}
