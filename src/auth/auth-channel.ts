/**
 * What the tabs of one origin tell each other about one sign-in (one
 * identity provider and client), version 1. Every message is validated on
 * receipt: a channel is shared by every script of the origin.
 * - `hello`: a tab started (or needs the current token): tabs holding a
 *   usable token answer `token`, the tab showing a code answers `sign-in`;
 * - `token`: a new access token, renewed by the sender (memory to memory:
 *   the only way an access token leaves a tab, and only to its own origin);
 * - `sign-in`: the code the sender's device flow shows, so every tab shows the same;
 * - `signed-out`: the sign-in ended (refresh refused, or signed out): drop the token.
 */
export type AuthMessage =
  | { readonly v: 1; readonly type: "hello" }
  | {
      readonly v: 1;
      readonly type: "token";
      readonly accessToken: string;
      readonly issuedAt: number;
      readonly expiresAt: number;
      readonly refreshExpiresAt: number | undefined;
      /** The stored refresh token's generation that came with this access token. */
      readonly generation: number;
    }
  | {
      readonly v: 1;
      readonly type: "sign-in";
      readonly userCode: string;
      readonly verificationUri: string;
      readonly verificationUriComplete: string | undefined;
      readonly expiresAt: number;
    }
  | { readonly v: 1; readonly type: "signed-out" };

/** One tab's end of the channel. */
export interface AuthChannel {
  post(message: AuthMessage): void;
  close(): void;
}

/** Opens the channel; `onMessage` gets only messages that validated. */
export type OpenAuthChannel = (onMessage: (message: AuthMessage) => void) => AuthChannel;

/** The message, if `raw` is a well-formed {@link AuthMessage}; otherwise `undefined`. */
export function parseAuthMessage(raw: unknown): AuthMessage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.v !== 1) return undefined;
  switch (m.type) {
    case "hello":
    case "signed-out":
      return { v: 1, type: m.type };
    case "token":
      if (!nonEmpty(m.accessToken, 16_384) || !time(m.issuedAt) || !time(m.expiresAt) || !(m.expiresAt > m.issuedAt)) return undefined;
      if (!(m.refreshExpiresAt === undefined || time(m.refreshExpiresAt))) return undefined;
      if (!(typeof m.generation === "number" && Number.isSafeInteger(m.generation) && m.generation >= 0)) return undefined;
      return {
        v: 1,
        type: "token",
        accessToken: m.accessToken,
        issuedAt: m.issuedAt,
        expiresAt: m.expiresAt,
        refreshExpiresAt: m.refreshExpiresAt,
        generation: m.generation,
      };
    case "sign-in":
      if (!nonEmpty(m.userCode, 32) || !webUrl(m.verificationUri) || !time(m.expiresAt)) return undefined;
      if (!(m.verificationUriComplete === undefined || webUrl(m.verificationUriComplete))) return undefined;
      return {
        v: 1,
        type: "sign-in",
        userCode: m.userCode,
        verificationUri: m.verificationUri,
        verificationUriComplete: m.verificationUriComplete,
        expiresAt: m.expiresAt,
      };
    default:
      return undefined;
  }
}

function nonEmpty(value: unknown, maxLength: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxLength;
}

function time(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function webUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
