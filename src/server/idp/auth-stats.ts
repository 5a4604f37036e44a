import type { GrantName } from "./accounts.js";

/** What `GET /auth/stats` answers. */
export interface IdentityProviderStats {
  /** Token-endpoint requests per grant, whatever their outcome ("other": missing or unsupported grant_type). */
  readonly tokenRequests: Record<GrantName | "other", number>;
  /** Of those, the ones answered with an OAuth error. */
  readonly tokenErrors: Record<GrantName | "other", number>;
  readonly deviceAuthorizations: { readonly started: number; readonly pending: number };
  readonly activeRefreshTokens: number;
}

const emptyCounts = (): Record<GrantName | "other", number> => ({
  device_code: 0,
  refresh_token: 0,
  password: 0,
  client_credentials: 0,
  other: 0,
});

/** Counts token-endpoint requests per grant, so tests can assert "at most one refresh per lifetime". */
export class TokenRequestCounts {
  readonly #requests = emptyCounts();
  readonly #errors = emptyCounts();

  count(grant: GrantName | "other", ok: boolean): void {
    this.#requests[grant]++;
    if (!ok) this.#errors[grant]++;
  }

  snapshot(): Pick<IdentityProviderStats, "tokenRequests" | "tokenErrors"> {
    return { tokenRequests: { ...this.#requests }, tokenErrors: { ...this.#errors } };
  }
}
