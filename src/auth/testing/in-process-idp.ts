import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Clock } from "../../core/clock.js";
import { identityProviderEndpoints } from "../../server/idp/endpoints.js";
import { createIdentityProvider, type IdentityProvider, type IdentityProviderOptions } from "../../server/idp/identity-provider.js";
import type { IdentityProviderStats } from "../../server/idp/auth-stats.js";
import type { FetchLike, FormPost, HttpResponseLike } from "../token-endpoint.js";

const ORIGIN = "http://idp.test";

/** One request a provider made, as the test sees it. */
export interface RecordedRequest {
  readonly at: number;
  readonly url: string;
  /** The form fields (tests check that secrets travel in bodies only). */
  readonly form: Record<string, string>;
}

/** What a scripted fault answers instead of the identity provider. */
export type InjectedAnswer = "network-error" | { readonly status: number; readonly body: unknown };

/**
 * The project's real development identity provider (src/server/idp), called
 * in-process — no sockets — through a {@link FetchLike}, on the test's
 * clock. So specs meet real device codes, `slow_down` arithmetic, rotation
 * and family revocation on reuse. `inject` puts scripted answers (network
 * errors, `slow_down`, 500s) in front of it for matching requests.
 */
export interface InProcessIdp {
  readonly fetch: FetchLike;
  readonly clientId: string;
  readonly deviceUrl: string;
  readonly tokenUrl: string;
  /** Smart Core's `/oauth2/token` (same handler). */
  readonly oauth2TokenUrl: string;
  readonly requests: RecordedRequest[];
  /** Every secret the identity provider answered: access and refresh tokens, device codes. */
  readonly issued: string[];
  /** Requests sent and not answered yet. */
  readonly inFlight: number;
  /** Every line the identity provider logged. */
  readonly log: string[];
  /** The next `times` requests for which `match` holds get `answer` instead. */
  inject(match: (request: RecordedRequest) => boolean, answer: InjectedAnswer, times?: number): void;
  /** The next request for which `match` holds waits until `release()` before the identity provider sees it (a slow network). */
  hold(match: (request: RecordedRequest) => boolean): { readonly held: () => boolean; release(): void };
  /** `/auth/approve` (as `user`, default admin); resolves to the HTTP status. */
  approve(userCode: string, user?: string): Promise<number>;
  deny(userCode: string): Promise<number>;
  /** `/faults/revoke-refresh-tokens`; resolves to how many were revoked. */
  revokeAllRefreshTokens(): Promise<number>;
  stats(): IdentityProviderStats;
}

export async function startInProcessIdp(clock: Clock, options: IdentityProviderOptions = {}): Promise<InProcessIdp> {
  const log: string[] = [];
  const idp = await createIdentityProvider(options, { clock, log: (line) => log.push(line), faults: true });
  const urls = identityProviderEndpoints(ORIGIN, options.realm);
  const requests: RecordedRequest[] = [];
  const injected: Array<{ match: (request: RecordedRequest) => boolean; answer: InjectedAnswer; left: number }> = [];
  let inFlight = 0;
  const holds: Array<{ match: (request: RecordedRequest) => boolean; gate: Promise<void>; caught: boolean }> = [];
  const issued: string[] = [];

  const fetch: FetchLike = async (url, init) => {
    inFlight += 1;
    try {
      return await answer(url, init);
    } finally {
      inFlight -= 1;
    }
  };
  const answer: FetchLike = async (url, init) => {
    const request: RecordedRequest = { at: clock.now(), url, form: Object.fromEntries(new URLSearchParams(init.body)) };
    requests.push(request);
    const hold = holds.find((entry) => !entry.caught && entry.match(request));
    if (hold) {
      hold.caught = true;
      await hold.gate;
    }
    const fault = injected.find((entry) => entry.left > 0 && entry.match(request));
    if (fault) {
      fault.left -= 1;
      if (fault.answer === "network-error") throw new TypeError("Failed to fetch");
      return textResponse(fault.answer.status, JSON.stringify(fault.answer.body));
    }
    const response = await call(idp, url, init);
    const text = await response.text();
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      for (const field of ["access_token", "refresh_token", "device_code"]) if (typeof body[field] === "string") issued.push(body[field]);
    } catch {
      // not JSON: nothing issued
    }
    return textResponse(response.status, text);
  };
  const post = async (path: string) => {
    const response = await call(idp, `${ORIGIN}${path}`, { method: "POST", headers: {}, body: "" });
    return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
  };

  return {
    fetch,
    clientId: "dashboard",
    deviceUrl: urls.deviceAuthorization,
    tokenUrl: urls.token,
    oauth2TokenUrl: urls.oauth2Token,
    requests,
    issued,
    get inFlight() {
      return inFlight;
    },
    log,
    inject(match, answer, times = 1) {
      injected.push({ match, answer, left: times });
    },
    hold(match) {
      let release = () => {};
      const entry = { match, gate: new Promise<void>((resolve) => (release = resolve)), caught: false };
      holds.push(entry);
      return { held: () => entry.caught, release: () => release() };
    },
    async approve(userCode, user = "admin") {
      return (await post(`/auth/approve?${new URLSearchParams({ user_code: userCode, user })}`)).status;
    },
    async deny(userCode) {
      return (await post(`/auth/deny?${new URLSearchParams({ user_code: userCode })}`)).status;
    },
    async revokeAllRefreshTokens() {
      return (await post("/faults/revoke-refresh-tokens")).body.revoked as number;
    },
    stats: () => idp.stats(),
  };
}

/** True for a token request of `grantType` (`refresh_token`, `password`, or the device grant's short name `device_code`). */
export function isGrant(grantType: string): (request: RecordedRequest) => boolean {
  return (request) => {
    const grant = request.form.grant_type ?? "";
    return grantType === "device_code" ? grant.endsWith(":device_code") : grant === grantType;
  };
}

/** Serves one request with the identity provider's Node handler, without a socket. */
function call(idp: IdentityProvider, url: string, init: FormPost): Promise<HttpResponseLike> {
  const { pathname, search, host } = new URL(url);
  const req = Object.assign(Readable.from([Buffer.from(init.body)]), {
    method: init.method,
    url: pathname + search,
    headers: { host, ...lowerCased(init.headers) },
  }) as unknown as IncomingMessage;
  return new Promise((resolve, reject) => {
    let status = 200;
    const res = {
      headersSent: false,
      setHeader() {
        return res;
      },
      writeHead(code: number) {
        status = code;
        res.headersSent = true;
        return res;
      },
      end(body?: string) {
        resolve(textResponse(status, body ?? ""));
      },
      destroy() {
        reject(new TypeError("Failed to fetch"));
      },
    };
    if (!idp.handle(req, res as unknown as ServerResponse)) resolve(textResponse(404, "{}"));
  });
}

function textResponse(status: number, text: string): HttpResponseLike {
  return { status, text: async () => text };
}

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
