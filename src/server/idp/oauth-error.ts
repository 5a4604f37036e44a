/**
 * The error codes a token or device-authorization endpoint answers, from
 * RFC 6749 §5.2 and RFC 8628 §3.5. A closed list: clients switch on them.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "authorization_pending"
  | "slow_down"
  | "access_denied"
  | "expired_token";

/**
 * One OAuth error answer: `{error, error_description}` with its HTTP status
 * (400, except `invalid_client`: 401, as RFC 6749 §5.2 asks when the client
 * tried to authenticate). The description is for people and never holds a
 * token, code, password or secret.
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  /** Set for `invalid_client` after HTTP Basic authentication (RFC 6749 §5.2: `WWW-Authenticate`). */
  readonly challenge: string | undefined;

  constructor(code: OAuthErrorCode, description: string, options: { challenge?: string } = {}) {
    super(description);
    this.name = "OAuthError";
    this.code = code;
    this.status = code === "invalid_client" ? 401 : 400;
    this.challenge = options.challenge;
  }

  /** The JSON body: `{"error": "...", "error_description": "..."}`. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
