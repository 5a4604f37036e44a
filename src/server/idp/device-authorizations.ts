import type { Clock } from "../../core/clock.js";
import type { UserAccount } from "./accounts.js";
import { OAuthError } from "./oauth-error.js";
import { hashSecret, newOpaqueSecret } from "./secrets.js";
import { newUserCode, normalizeUserCode } from "./user-code.js";

/** RFC 8628 §3.5: each `slow_down` makes the required interval this much longer, for good. */
export const SLOW_DOWN_STEP_S = 5;

/** What the device authorization endpoint hands a new device (RFC 8628 §3.2, without the URLs). */
export interface StartedDeviceAuthorization {
  readonly deviceCode: string;
  /** As shown to people: `WDJB-MJHT`. */
  readonly userCode: string;
  readonly expiresInS: number;
  readonly intervalS: number;
}

/** What a person decided on the verification page or through the approve endpoint. */
export type DeviceDecision = { readonly kind: "approve"; readonly user: UserAccount } | { readonly kind: "deny" };

/** How deciding went: done, or why not (no such code, it expired, or it was decided before). */
export type DecideOutcome =
  | { readonly kind: "decided"; readonly clientId: string }
  | { readonly kind: "unknown" | "expired" | "already-decided" };

interface Pending {
  readonly deviceCodeHash: string;
  readonly userCode: string; // normalized
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
  intervalS: number;
  lastPollAt: number | undefined;
  status: "pending" | "denied" | { readonly approvedBy: UserAccount };
}

/**
 * The device authorizations in progress (RFC 8628), in memory. Device codes
 * are kept only as SHA-256 hashes. A device code is consumed by the poll
 * that gets the tokens; records are dropped a TTL after they expire (until
 * then a poll still answers `expired_token`).
 */
export class DeviceAuthorizations {
  readonly #clock: Clock;
  readonly #ttlS: number;
  readonly #intervalS: number;
  readonly #byDeviceCode = new Map<string, Pending>();
  readonly #byUserCode = new Map<string, Pending>();
  #started = 0;

  constructor(options: { readonly clock: Clock; readonly ttlS: number; readonly intervalS: number }) {
    this.#clock = options.clock;
    this.#ttlS = options.ttlS;
    this.#intervalS = options.intervalS;
  }

  /** A new authorization for `clientId`, pending until someone decides. */
  start(clientId: string, scope: string): StartedDeviceAuthorization {
    this.#prune();
    const deviceCode = newOpaqueSecret();
    let userCode: string;
    do userCode = newUserCode();
    while (this.#byUserCode.has(normalizeUserCode(userCode)));
    const record: Pending = {
      deviceCodeHash: hashSecret(deviceCode),
      userCode: normalizeUserCode(userCode),
      clientId,
      scope,
      expiresAt: this.#clock.now() + this.#ttlS * 1000,
      intervalS: this.#intervalS,
      lastPollAt: undefined,
      status: "pending",
    };
    this.#byDeviceCode.set(record.deviceCodeHash, record);
    this.#byUserCode.set(record.userCode, record);
    this.#started++;
    return { deviceCode, userCode, expiresInS: this.#ttlS, intervalS: this.#intervalS };
  }

  /**
   * One token-endpoint poll (RFC 8628 §3.4–3.5). Returns the approving user
   * (and consumes the device code), or throws the OAuth answer:
   * `invalid_grant` (unknown, used or another client's code), `expired_token`,
   * `slow_down` (polled sooner than the interval after the previous poll; the
   * interval then grows by 5 s), `authorization_pending`, `access_denied`.
   * The first poll may come at any time.
   */
  poll(deviceCode: string, clientId: string): { readonly user: UserAccount; readonly scope: string } {
    const record = this.#byDeviceCode.get(hashSecret(deviceCode));
    if (record === undefined) throw new OAuthError("invalid_grant", "unknown or already used device code");
    if (record.clientId !== clientId) throw new OAuthError("invalid_grant", "the device code was issued to another client");
    const now = this.#clock.now();
    if (now >= record.expiresAt) throw new OAuthError("expired_token", "the device code has expired: start again");

    const tooSoon = record.lastPollAt !== undefined && now - record.lastPollAt < record.intervalS * 1000;
    record.lastPollAt = now;
    if (tooSoon) {
      record.intervalS += SLOW_DOWN_STEP_S;
      throw new OAuthError("slow_down", `polled too often: wait at least ${record.intervalS} s between polls`);
    }
    if (record.status === "pending") throw new OAuthError("authorization_pending", "waiting for a person to approve the user code");
    if (record.status === "denied") throw new OAuthError("access_denied", "the sign-in was denied");
    this.#forget(record);
    return { user: record.status.approvedBy, scope: record.scope };
  }

  /** Approves or denies the authorization whose user code a person typed (any case, dashes optional). */
  decide(typedUserCode: string, decision: DeviceDecision): DecideOutcome {
    const record = this.#byUserCode.get(normalizeUserCode(typedUserCode));
    if (record === undefined) return { kind: "unknown" };
    if (this.#clock.now() >= record.expiresAt) return { kind: "expired" };
    if (record.status !== "pending") return { kind: "already-decided" };
    record.status = decision.kind === "deny" ? "denied" : { approvedBy: decision.user };
    return { kind: "decided", clientId: record.clientId };
  }

  /** Authorizations started since the server started, and those still waiting for a decision. */
  counts(): { started: number; pending: number } {
    const now = this.#clock.now();
    let pending = 0;
    for (const record of this.#byDeviceCode.values()) if (record.status === "pending" && now < record.expiresAt) pending++;
    return { started: this.#started, pending };
  }

  #forget(record: Pending): void {
    this.#byDeviceCode.delete(record.deviceCodeHash);
    this.#byUserCode.delete(record.userCode);
  }

  #prune(): void {
    const cutoff = this.#clock.now() - this.#ttlS * 1000;
    for (const record of this.#byDeviceCode.values()) if (record.expiresAt < cutoff) this.#forget(record);
  }
}
