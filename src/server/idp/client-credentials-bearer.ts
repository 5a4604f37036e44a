import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Clock } from "../../core/clock.js";
import { systemClock } from "../../platform/system-clock.js";
import { formPost, type FormPost } from "./form-post.js";

/** A cached token is replaced once this share of its lifetime has passed, so it never expires in flight. */
const RENEW_AT_SHARE = 0.8;

/**
 * An interceptor for a machine calling the publication API with its own
 * credentials (OAuth client-credentials grant), as the demo's announcement
 * ticker does under `npm start -- --auth`. One token is fetched and shared
 * by concurrent calls, renewed after 80 % of its lifetime, and dropped when
 * a call answers UNAUTHENTICATED (e.g. the server restarted with a new key),
 * so the next call fetches a new one. A refused token request fails the
 * call with UNAUTHENTICATED naming the OAuth error, never the secret.
 */
export function clientCredentialsBearer(options: {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clock?: Clock;
  /** How the token request is sent; default `fetch` (see form-post.ts for a server with its own CA). */
  readonly post?: FormPost;
}): Interceptor {
  const clock = options.clock ?? systemClock;
  const post = options.post ?? formPost();
  let cached: Promise<{ token: string; renewAt: number }> | undefined;

  async function fetchToken(): Promise<{ token: string; renewAt: number }> {
    const requestedAt = clock.now();
    const res = await post(
      options.tokenUrl,
      new URLSearchParams({ grant_type: "client_credentials", client_id: options.clientId, client_secret: options.clientSecret }),
      AbortSignal.timeout(10_000),
    );
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (res.status !== 200 || typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
      throw new ConnectError(`token request refused: ${typeof body.error === "string" ? body.error : `HTTP ${res.status}`}`, Code.Unauthenticated);
    }
    return { token: body.access_token, renewAt: requestedAt + body.expires_in * 1000 * RENEW_AT_SHARE };
  }

  async function currentToken(): Promise<string> {
    const held = cached === undefined ? undefined : await cached.catch(() => undefined);
    if (held === undefined || clock.now() >= held.renewAt) {
      const next = fetchToken();
      cached = next;
      next.catch(() => {
        if (cached === next) cached = undefined; // a failed request is not kept
      });
      return (await next).token;
    }
    return held.token;
  }

  return (next) => async (req) => {
    const token = await currentToken();
    req.header.set("authorization", `Bearer ${token}`);
    try {
      return await next(req);
    } catch (err) {
      if (ConnectError.from(err).code === Code.Unauthenticated) cached = undefined;
      throw err;
    }
  };
}
