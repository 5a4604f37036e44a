import { createBackoff } from "../core/backoff.js";
import { sleep, type Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import type { AuthProblem } from "./auth-state.js";
import type { DeviceAuthorization, TokenEndpoint, TokenGrant } from "./token-endpoint.js";

/** RFC 8628 §3.5: every `slow_down` lengthens the polling interval by 5 s, for good. */
export const SLOW_DOWN_STEP_MS = 5_000;

/** What the device flow shows while it runs. The device code itself never leaves it. */
export type DeviceFlowProgress =
  | { readonly kind: "requesting-code"; readonly problem?: AuthProblem; readonly nextAttemptAt?: number }
  | { readonly kind: "code"; readonly code: Omit<DeviceAuthorization, "deviceCode" | "intervalMs">; readonly problem?: AuthProblem };

export interface DeviceFlowOptions {
  readonly endpoint: TokenEndpoint;
  readonly clientId: string;
  readonly deviceUrl: string;
  readonly tokenUrl: string;
  readonly scope?: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly onProgress: (progress: DeviceFlowProgress) => void;
  readonly signal: AbortSignal;
}

type PollEnd = { readonly kind: "granted"; readonly grant: TokenGrant } | { readonly kind: "new-code"; readonly problem?: AuthProblem } | { readonly kind: "aborted" };

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) until a person
 * approves: get a code, show it, poll the token endpoint no sooner than the
 * server's `interval` after the code arrived or the previous poll
 * (`authorization_pending`: again; `slow_down`: 5 s longer from then on),
 * and start over with a new code when it expires or is denied. Failures to
 * reach the server are retried with jittered backoff (never sooner than the
 * interval while polling). Resolves to the tokens, or `undefined` once
 * `signal` aborts.
 */
export async function signInWithDeviceCode(options: DeviceFlowOptions): Promise<TokenGrant | undefined> {
  const { endpoint, clock, logger, signal } = options;
  const unreachable = createBackoff({ minMs: 5_000, maxMs: 300_000, jitter: "half" }, options.random);
  let problem: AuthProblem | undefined;
  while (!signal.aborted) {
    options.onProgress({ kind: "requesting-code", ...(problem && { problem }) });
    const started = await endpoint.startDeviceAuthorization(options.deviceUrl, options.clientId, options.scope);
    if (signal.aborted) return undefined;
    if (started.kind !== "ok") {
      const refused = started.kind === "refused";
      // A refusal here is configuration (unknown client, device flow off): retrying soon cannot help.
      if (refused) unreachable.toRefused();
      problem = { code: refused ? started.error : "network", message: started.message, at: clock.now() };
      const delay = unreachable.next();
      logger.warn("device sign-in: cannot get a code", { code: problem.code, retryInS: Math.round(delay / 1000) });
      options.onProgress({ kind: "requesting-code", problem, nextAttemptAt: clock.now() + delay });
      await sleep(clock, delay, signal).promise;
      continue;
    }
    unreachable.reset();
    // The device code stays here: it is a credential until the code expires.
    const { deviceCode: _deviceCode, intervalMs, ...code } = started.value;
    logger.info("device sign-in: showing a code", { expiresInS: Math.round((code.expiresAt - clock.now()) / 1000), intervalS: intervalMs / 1000 });
    options.onProgress({ kind: "code", code, ...(problem && { problem }) });
    const end = await pollUntilDecided(options, started.value);
    switch (end.kind) {
      case "granted":
        logger.info("device sign-in: approved");
        return end.grant;
      case "aborted":
        return undefined;
      case "new-code":
        problem = end.problem;
    }
  }
  return undefined;
}

async function pollUntilDecided(options: DeviceFlowOptions, authorization: DeviceAuthorization): Promise<PollEnd> {
  const { endpoint, clock, logger, signal } = options;
  const unreachable = createBackoff({ minMs: authorization.intervalMs, maxMs: 60_000, jitter: "half" }, options.random);
  let intervalMs = authorization.intervalMs;
  let waitMs = intervalMs;
  const expired = (): PollEnd => ({
    kind: "new-code",
    problem: { code: "expired_token", message: "the code expired before anyone approved it", at: clock.now() },
  });
  for (;;) {
    const left = authorization.expiresAt - clock.now();
    if (left <= 0) return expired();
    // Wake at the code's expiry rather than poll for a code that cannot succeed.
    if ((await sleep(clock, Math.min(waitMs, left), signal).promise) === "aborted") return { kind: "aborted" };
    if (clock.now() >= authorization.expiresAt) return expired();
    const outcome = await endpoint.pollDeviceCode(options.tokenUrl, options.clientId, authorization.deviceCode);
    if (signal.aborted) return { kind: "aborted" };
    if (outcome.kind === "ok") return { kind: "granted", grant: outcome.value };
    if (outcome.kind === "unavailable") {
      waitMs = Math.max(intervalMs, unreachable.next());
      logger.info("device sign-in: poll failed; trying again", { retryInS: Math.round(waitMs / 1000) });
      continue;
    }
    switch (outcome.error) {
      case "authorization_pending":
        waitMs = intervalMs;
        continue;
      case "slow_down":
        intervalMs += SLOW_DOWN_STEP_MS;
        waitMs = intervalMs;
        logger.info("device sign-in: asked to slow down", { intervalS: intervalMs / 1000 });
        continue;
      case "expired_token":
        return expired();
      case "access_denied":
        logger.info("device sign-in: denied; showing a new code");
        return { kind: "new-code", problem: { code: "access_denied", message: "the last sign-in was denied", at: clock.now() } };
      default:
        // invalid_grant (the server forgot the code, e.g. restarted), invalid_client…: a new code is the way on.
        logger.warn("device sign-in: poll refused; showing a new code", { code: outcome.error });
        return { kind: "new-code", problem: { code: outcome.error, message: outcome.message, at: clock.now() } };
    }
  }
}
