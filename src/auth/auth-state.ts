/**
 * What went wrong last, as a provider reports it: a code and a short text
 * for people. Never a token, code or secret: texts the server sent are
 * redacted of every secret the request carried (see token-endpoint.ts).
 * - `network`: the identity provider could not be reached (or answered 5xx / garbage);
 * - `access_denied`: a person denied the last device sign-in;
 * - `expired_token`: the last code expired before anyone approved it;
 * - any other RFC 6749 / 8628 error code the server answered (`invalid_client`, …).
 */
export interface AuthProblem {
  readonly code: string;
  readonly message: string;
  /** Clock ms. */
  readonly at: number;
}

/**
 * Where a token provider stands. Each new access token gives a new
 * `signed-in` object (its `expiresAt` moves), so a listener that calls
 * `client.credentialsChanged()` on every `signed-in` hands each token to
 * the cache host.
 *
 * - `signed-out`: not started, closed, or signed out;
 * - `starting`: reading the stored sign-in and asking other tabs (a few hundred ms);
 * - `signing-in`: asking the identity provider for a device code; with
 *   `problem` and `nextAttemptAt` when that failed and will be tried again;
 * - `waiting-for-user`: a person must approve `userCode` at `verificationUri`
 *   (or by scanning `verificationUriComplete`) before `expiresAt`; a new code
 *   follows by itself when it expires or is denied (`problem` says which);
 * - `signed-in`: an access token valid until `expiresAt`, renewed by itself at `refreshAt`;
 * - `refresh-failed`: renewing failed for a reason that may pass (network,
 *   server); tried again at `nextAttemptAt`. The sign-in is kept; the last
 *   access token serves until `expiresAt`.
 */
export type AuthState =
  | { readonly kind: "signed-out"; readonly problem?: AuthProblem }
  | { readonly kind: "starting" }
  | { readonly kind: "signing-in"; readonly problem?: AuthProblem; readonly nextAttemptAt?: number }
  | {
      readonly kind: "waiting-for-user";
      readonly userCode: string;
      readonly verificationUri: string;
      readonly verificationUriComplete: string | undefined;
      readonly expiresAt: number;
      readonly problem?: AuthProblem;
    }
  | { readonly kind: "signed-in"; readonly expiresAt: number; readonly refreshAt: number }
  | { readonly kind: "refresh-failed"; readonly expiresAt: number; readonly nextAttemptAt: number; readonly problem: AuthProblem };

export type AuthStateKind = AuthState["kind"];

/**
 * A source of bearer tokens for `createPubCacheClient({ getToken })`, which
 * keeps its tokens valid by itself and says where it stands.
 */
export interface TokenProvider {
  /**
   * The current access token, or `undefined` when there is none (not signed
   * in yet, or the sign-in ended). Waits (briefly) for a renewal under way
   * rather than handing out a token that is about to expire. With
   * `servers` configured, `undefined` for any other server.
   */
  getToken(server?: string): Promise<string | undefined>;
  readonly state: AuthState;
  /** Calls `listener` on every change of `state`. Returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** Starts signing in (or resuming a stored sign-in). Calling it again does nothing. */
  start(): void;
  /** Forgets the sign-in here and in every tab (the stored one too), then signs in afresh where that applies. */
  signOut(): Promise<void>;
  /** Stops every timer and request; the provider stays `signed-out` and hands out no token. */
  close(): Promise<void>;
}
