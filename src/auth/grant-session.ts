import { createBackoff } from "../core/backoff.js";
import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import type { AuthProblem, TokenProvider } from "./auth-state.js";
import { checkRefreshWindow, DEFAULT_REFRESH_WINDOW, isUsable, refreshTimeOf, type RefreshWindow } from "./refresh-schedule.js";
import { StateHolder } from "./state-holder.js";
import { TokenEndpoint, type EndpointOutcome, type FetchLike, type TokenGrant } from "./token-endpoint.js";

/** What a memory-only session runs on. */
export interface GrantPlatform {
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/** Tuning shared by the password and client-credentials providers. */
export interface GrantTuning {
  /** Publication servers this token is for; `getToken` answers `undefined` for any other. Default: any. */
  readonly servers?: readonly string[];
  /** When in a token's lifetime to renew it. Default 75–85 %. */
  readonly refreshWindow?: RefreshWindow;
  /** How long `getToken` waits for a sign-in under way. Default 10 s. */
  readonly getTokenWaitMs?: number;
  readonly logger?: Logger;
}

/** Obtains tokens with the credentials the session was made with (the password or client-credentials grant). */
export type CredentialGrant = (endpoint: TokenEndpoint) => Promise<EndpointOutcome<TokenGrant>>;

/**
 * A sign-in with credentials held in memory (a password, a client secret),
 * kept valid without anyone: renewed at 75–85 % of each token's lifetime —
 * with the refresh token when the server gave one (in memory only), else
 * with the credentials again. A refused sign-in (wrong password, unknown
 * client) is final: `signed-out` with the problem, and nothing is retried
 * until `start()` is called again — never a login every few seconds. An
 * unreachable server is retried with jittered backoff. Nothing is stored:
 * every tab (or process) signs in on its own.
 */
export function createGrantSession(grant: CredentialGrant, tokenUrl: string, clientId: string | undefined, platform: GrantPlatform, tuning: GrantTuning = {}): TokenProvider {
  const { clock, random } = platform;
  const logger = tuning.logger ?? silentLogger;
  const window = checkRefreshWindow(tuning.refreshWindow ?? DEFAULT_REFRESH_WINDOW);
  const getTokenWaitMs = tuning.getTokenWaitMs ?? 10_000;
  const endpoint = new TokenEndpoint(platform.fetch, clock);
  const holder = new StateHolder(clock, logger);
  const retry = createBackoff({ minMs: 5_000, maxMs: 300_000, jitter: "wide" }, random);
  let access: TokenGrant | undefined;
  let running = false;
  let busy = false;
  let closed = false;
  let cancelTimer = () => {};

  const usable = () => (access && isUsable(access, clock.now()) ? access : undefined);

  function schedule(at: number) {
    cancelTimer();
    cancelTimer = clock.setTimer(Math.max(0, Math.min(at - clock.now(), 86_400_000)), () => {
      if (clock.now() >= at) void attempt();
      else schedule(at);
    });
  }

  async function attempt(): Promise<void> {
    if (busy || closed || !running) return;
    busy = true;
    try {
      let outcome: EndpointOutcome<TokenGrant> | undefined;
      if (access?.refreshToken) {
        outcome = await endpoint.refresh(tokenUrl, clientId, access.refreshToken);
        // A refused renewal (revoked, expired): sign in with the credentials again, once.
        if (outcome.kind === "refused") {
          logger.info("sign-in: renewal refused; signing in with the credentials again", { code: outcome.error });
          outcome = undefined;
        }
      }
      outcome ??= await grant(endpoint);
      if (closed || !running) return;
      if (outcome.kind === "ok") {
        access = outcome.value;
        retry.reset();
        const refreshAt = refreshTimeOf(access, window, random);
        logger.info("sign-in: token", { expiresInS: Math.round((access.expiresAt - access.issuedAt) / 1000) });
        schedule(refreshAt);
        holder.set({ kind: "signed-in", expiresAt: access.expiresAt, refreshAt });
        return;
      }
      const problem: AuthProblem = { code: outcome.kind === "refused" ? outcome.error : "network", message: outcome.message, at: clock.now() };
      if (outcome.kind === "refused") {
        logger.warn("sign-in: refused; not retrying", { code: problem.code });
        access = undefined;
        running = false;
        holder.set({ kind: "signed-out", problem });
        return;
      }
      const nextAttemptAt = clock.now() + retry.next();
      logger.warn("sign-in: identity provider unreachable; trying again", { retryInS: Math.round((nextAttemptAt - clock.now()) / 1000) });
      schedule(nextAttemptAt);
      holder.set(access ? { kind: "refresh-failed", expiresAt: access.expiresAt, nextAttemptAt, problem } : { kind: "signing-in", problem, nextAttemptAt });
    } finally {
      busy = false;
    }
  }

  return {
    get state() {
      return holder.state;
    },
    subscribe: (listener) => holder.subscribe(listener),
    start() {
      if (running || closed) return;
      running = true;
      holder.set({ kind: "starting" });
      void attempt();
    },
    async getToken(server) {
      if (closed || (server !== undefined && tuning.servers !== undefined && !tuning.servers.includes(server))) return undefined;
      const deadline = clock.now() + getTokenWaitMs;
      for (;;) {
        const token = usable();
        if (token || closed) return token?.accessToken;
        const kind = holder.state.kind;
        if (!(kind === "starting" || kind === "signed-in") || clock.now() >= deadline) return undefined;
        if (kind === "signed-in") void attempt(); // past use: the timer is late (a device that slept)
        await holder.nextChange(deadline - clock.now());
      }
    },
    async signOut() {
      running = false;
      access = undefined;
      cancelTimer();
      holder.set({ kind: "signed-out" });
    },
    async close() {
      closed = true;
      running = false;
      access = undefined;
      cancelTimer();
      holder.set({ kind: "signed-out" });
      holder.close();
    },
  };
}
