import type { Clock } from "../core/clock.js";

/** The part of a `fetch` Response we read. */
export interface HttpResponseLike {
  readonly status: number;
  text(): Promise<string>;
}

/** A form POST as the token and device endpoints take it. */
export interface FormPost {
  readonly method: "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** `fetch`, narrowed to what the providers need, so tests hand in a fake endpoint. */
export type FetchLike = (url: string, init: FormPost) => Promise<HttpResponseLike>;

/** A successful token answer (RFC 6749 §5.1), with lifetimes turned into clock times. */
export interface TokenGrant {
  readonly accessToken: string;
  /** When the request was sent (clock ms): lifetimes count from here, so we never think a token lives longer than it does. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshToken: string | undefined;
  /** `refresh_expires_in` (Keycloak); `undefined` when absent or 0 (no expiry). */
  readonly refreshExpiresAt: number | undefined;
}

/** A device authorization answer (RFC 8628 §3.2). */
export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string | undefined;
  readonly expiresAt: number;
  readonly intervalMs: number;
}

/**
 * How one request to the identity provider went:
 * - `ok`: the answer parsed;
 * - `refused`: an OAuth error answer (`error` is its RFC code: `invalid_grant`,
 *   `authorization_pending`, `slow_down`, …);
 * - `unavailable`: no usable answer (network failure, 5xx, not the expected
 *   JSON) — worth retrying later.
 * `message` is for people and logs: redacted of every secret the request carried.
 */
export type EndpointOutcome<T> =
  | { readonly kind: "ok"; readonly value: T }
  | { readonly kind: "refused"; readonly error: string; readonly message: string }
  | { readonly kind: "unavailable"; readonly message: string };

/** RFC 6749 §4.1.2.1 / §5.2 and RFC 8628 §3.5 codes are printable ASCII without quotes or backslashes. */
const ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;
const DEFAULT_INTERVAL_S = 5; // RFC 8628 §3.2
const MAX_MESSAGE = 200;

/**
 * Talks to one identity provider's endpoints. Every secret a request carries
 * (refresh token, device code, password, client secret) stays in the body
 * of a POST — never in a URL — and is scrubbed from any text we keep.
 */
export class TokenEndpoint {
  constructor(
    private readonly fetch: FetchLike,
    private readonly clock: Clock,
  ) {}

  /** RFC 8628 §3.1: a new device code for `clientId`. */
  async startDeviceAuthorization(deviceUrl: string, clientId: string, scope?: string): Promise<EndpointOutcome<DeviceAuthorization>> {
    const sentAt = this.clock.now();
    const outcome = await this.post(deviceUrl, { client_id: clientId, ...(scope && { scope }) }, []);
    if (outcome.kind !== "ok") return outcome;
    return parseDeviceAuthorization(outcome.value, sentAt);
  }

  /** RFC 8628 §3.4: one poll for the device code's tokens. */
  pollDeviceCode(tokenUrl: string, clientId: string, deviceCode: string): Promise<EndpointOutcome<TokenGrant>> {
    return this.grant(tokenUrl, { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: deviceCode, client_id: clientId }, [deviceCode]);
  }

  /** RFC 6749 §6: new tokens (and, with rotation, a new refresh token) for a refresh token. */
  refresh(tokenUrl: string, clientId: string | undefined, refreshToken: string): Promise<EndpointOutcome<TokenGrant>> {
    return this.grant(tokenUrl, { grant_type: "refresh_token", refresh_token: refreshToken, ...(clientId && { client_id: clientId }) }, [refreshToken]);
  }

  /** RFC 6749 §4.3: the password grant (Smart Core's `POST /oauth2/token` for people). */
  password(tokenUrl: string, username: string, password: string, clientId?: string): Promise<EndpointOutcome<TokenGrant>> {
    return this.grant(tokenUrl, { grant_type: "password", username, password, ...(clientId && { client_id: clientId }) }, [password]);
  }

  /** RFC 6749 §4.4: the client-credentials grant, the secret in the body (`client_secret_post`). */
  clientCredentials(tokenUrl: string, clientId: string, clientSecret: string, scope?: string): Promise<EndpointOutcome<TokenGrant>> {
    return this.grant(
      tokenUrl,
      { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, ...(scope && { scope }) },
      [clientSecret],
    );
  }

  private async grant(url: string, fields: Record<string, string>, secrets: readonly string[]): Promise<EndpointOutcome<TokenGrant>> {
    const sentAt = this.clock.now();
    const outcome = await this.post(url, fields, secrets);
    if (outcome.kind !== "ok") return outcome;
    return parseTokenGrant(outcome.value, sentAt);
  }

  private async post(url: string, fields: Record<string, string>, secrets: readonly string[]): Promise<EndpointOutcome<unknown>> {
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams(fields).toString(),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      // A fetch TypeError names no body; still scrub, a custom fetch might.
      return { kind: "unavailable", message: redact(`cannot reach the identity provider: ${describe(error)}`, secrets) };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status >= 200 && status < 300) {
      return body === undefined ? { kind: "unavailable", message: `the identity provider answered ${status} without JSON` } : { kind: "ok", value: body };
    }
    const error = isRecord(body) && typeof body.error === "string" && ERROR_CODE.test(body.error) ? body.error : undefined;
    // RFC 6749 §5.2 errors are 400 (401 for invalid_client); 5xx and other pages are the server's trouble, not a refusal.
    if (error === undefined || status >= 500) return { kind: "unavailable", message: `the identity provider answered ${status}` };
    const description = isRecord(body) && typeof body.error_description === "string" ? `: ${body.error_description}` : "";
    return { kind: "refused", error, message: redact(`${error}${description}`, secrets) };
  }
}

/** Validates a token answer; a bearer token with a positive lifetime or `unavailable`. */
export function parseTokenGrant(body: unknown, sentAt: number): EndpointOutcome<TokenGrant> {
  if (!isRecord(body)) return malformed("not a JSON object");
  const { access_token, token_type, expires_in, refresh_token, refresh_expires_in } = body;
  if (typeof access_token !== "string" || access_token === "") return malformed("no access_token");
  // Only bearer tokens go into `authorization: Bearer …` (a DPoP or MAC token would be refused anyway).
  if (typeof token_type !== "string" || token_type.toLowerCase() !== "bearer") return malformed("token_type is not Bearer");
  if (!isPositive(expires_in)) return malformed("no positive expires_in");
  if (refresh_token !== undefined && (typeof refresh_token !== "string" || refresh_token === "")) return malformed("refresh_token is not a string");
  if (refresh_expires_in !== undefined && !(typeof refresh_expires_in === "number" && refresh_expires_in >= 0)) {
    return malformed("refresh_expires_in is not a number");
  }
  return {
    kind: "ok",
    value: {
      accessToken: access_token,
      issuedAt: sentAt,
      expiresAt: sentAt + expires_in * 1000,
      refreshToken: refresh_token,
      refreshExpiresAt: isPositive(refresh_expires_in) ? sentAt + refresh_expires_in * 1000 : undefined,
    },
  };
}

/** Validates a device authorization answer; the URLs must be http(s), since a screen shows them to people. */
export function parseDeviceAuthorization(body: unknown, sentAt: number): EndpointOutcome<DeviceAuthorization> {
  if (!isRecord(body)) return malformed("not a JSON object");
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval } = body;
  if (typeof device_code !== "string" || device_code === "") return malformed("no device_code");
  if (typeof user_code !== "string" || !/^[\x21-\x7e][\x20-\x7e]{0,31}$/.test(user_code)) return malformed("no printable user_code");
  if (!isWebUrl(verification_uri)) return malformed("verification_uri is not an http(s) URL");
  if (verification_uri_complete !== undefined && !isWebUrl(verification_uri_complete)) return malformed("verification_uri_complete is not an http(s) URL");
  if (!isPositive(expires_in)) return malformed("no positive expires_in");
  if (interval !== undefined && !isPositive(interval)) return malformed("interval is not a positive number");
  return {
    kind: "ok",
    value: {
      deviceCode: device_code,
      userCode: user_code,
      verificationUri: verification_uri,
      verificationUriComplete: verification_uri_complete,
      expiresAt: sentAt + expires_in * 1000,
      intervalMs: (interval ?? DEFAULT_INTERVAL_S) * 1000,
    },
  };
}

/** Replaces every occurrence of each secret with `[redacted]` and caps the length. */
export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join("[redacted]");
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

function malformed(why: string): { kind: "unavailable"; message: string } {
  return { kind: "unavailable", message: `the identity provider's answer is unusable: ${why}` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

function isWebUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
