import { randomUUID } from "node:crypto";
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import type { Clock } from "../../core/clock.js";

/** ECDSA P-256 with SHA-256: small keys and tokens, supported by every JOSE library. */
const ALGORITHM = "ES256";
/** RFC 9068's type for JWT access tokens, so an ID token or another JWT is never taken for one. */
const TOKEN_TYPE = "at+jwt";

/** What an access token says about its bearer. */
export interface AccessTokenSubject {
  readonly subject: string;
  /** The client it was issued to ("" when the request named none). */
  readonly clientId: string;
  readonly scope: string;
  readonly roles: readonly string[];
}

/** The outcome of checking a bearer token: its claims, or why it is refused (never the token itself). */
export type AccessTokenCheck =
  | { readonly ok: true; readonly token: AccessTokenSubject & { readonly expiresAt: number } }
  | { readonly ok: false; readonly reason: "expired" | "invalid" };

/**
 * Issues and verifies JWT access tokens with `jose`, signed with an ES256
 * key pair generated when the server starts (so a restarted server refuses
 * the old tokens, as a realm whose keys rotated would). Claims: `iss`, `sub`,
 * `aud`, `azp` (client), `iat`, `exp`, `jti`, `scope`, `roles`. Times come
 * from the injected clock, for issuing and for checking expiry.
 */
export class AccessTokens {
  readonly #clock: Clock;
  readonly #issuer: string;
  readonly #audience: string;
  readonly #ttlS: number;
  readonly #privateKey: CryptoKey;
  readonly #publicKey: CryptoKey;
  readonly #keyId: string;

  private constructor(options: AccessTokenOptions, keys: { privateKey: CryptoKey; publicKey: CryptoKey }) {
    this.#clock = options.clock;
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#ttlS = options.ttlS;
    this.#privateKey = keys.privateKey;
    this.#publicKey = keys.publicKey;
    this.#keyId = randomUUID();
  }

  /** Generates the signing key. */
  static async create(options: AccessTokenOptions): Promise<AccessTokens> {
    return new AccessTokens(options, await generateKeyPair(ALGORITHM));
  }

  /** A signed access token for `subject`, valid for the configured lifetime from now. */
  async issue(subject: AccessTokenSubject): Promise<{ token: string; expiresInS: number }> {
    const nowS = Math.floor(this.#clock.now() / 1000);
    const token = await new SignJWT({ azp: subject.clientId, scope: subject.scope, roles: [...subject.roles] })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: this.#keyId })
      .setIssuer(this.#issuer)
      .setSubject(subject.subject)
      .setAudience(this.#audience)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + this.#ttlS)
      .setJti(randomUUID())
      .sign(this.#privateKey);
    return { token, expiresInS: this.#ttlS };
  }

  /** Checks signature, algorithm, type, issuer, audience and expiry (against the injected clock, no leeway). */
  async verify(token: string): Promise<AccessTokenCheck> {
    try {
      const { payload } = await jwtVerify(token, this.#publicKey, {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: this.#issuer,
        audience: this.#audience,
        requiredClaims: ["sub", "exp", "iat"],
        currentDate: new Date(this.#clock.now()),
      });
      const roles = payload.roles;
      if (!Array.isArray(roles) || !roles.every((role) => typeof role === "string")) return { ok: false, reason: "invalid" };
      return {
        ok: true,
        token: {
          subject: payload.sub!,
          clientId: typeof payload.azp === "string" ? payload.azp : "",
          scope: typeof payload.scope === "string" ? payload.scope : "",
          roles,
          expiresAt: payload.exp! * 1000,
        },
      };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
      if (err instanceof errors.JOSEError) return { ok: false, reason: "invalid" };
      throw err;
    }
  }

  /** The public key as a JWK Set, for `…/protocol/openid-connect/certs`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.#publicKey);
    return { keys: [{ ...jwk, kid: this.#keyId, alg: ALGORITHM, use: "sig" }] };
  }
}

export interface AccessTokenOptions {
  readonly clock: Clock;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlS: number;
}
