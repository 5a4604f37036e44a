import type { Backoff } from "./backoff.js";
import type { CacheError, CacheState } from "./cache-types.js";
import type { Clock } from "./clock.js";
import { classifyError, toCacheError } from "./error-policy.js";
import type { InterruptibleWaits } from "./interruptible-waits.js";
import type { Logger } from "./logger.js";

/** What the wait after a failed call needs: time, a log, the waits `wake()` ends, and where the state goes. */
export interface FailureWaitContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly waits: InterruptibleWaits;
  readonly signal: AbortSignal;
  /** Fields every log line of this loop carries (device, and id for one publication). */
  readonly fields: Record<string, unknown>;
  /** Sets the state of what this loop follows: one publication, or every wanted one of a device. */
  setState(state: CacheState): void;
}

/**
 * The one backoff policy, for the device feed's loop and for each
 * per-publication loop alike:
 * - refused credentials → `needs-auth` until new ones arrive (or the
 *   maximum backoff); credentials that changed during the refused call are
 *   tried at once, and nothing is said;
 * - a request retrying soon cannot fix (e.g. an unknown device) → the
 *   maximum backoff;
 * - anything else → the next backoff step, with jitter.
 */
export async function waitAfterFailure(ctx: FailureWaitContext, failure: unknown, backoff: Backoff, newCredentials: boolean): Promise<void> {
  const error = toCacheError(failure, ctx.clock.now());
  switch (classifyError(failure)) {
    case "auth":
      if (newCredentials) return;
      ctx.logger.warn("credentials refused; waiting for new ones", { ...ctx.fields, code: error.code });
      ctx.setState({ kind: "needs-auth", lastError: error });
      backoff.toRefused();
      await ctx.waits.wait(backoff.next(), "auth", ctx.signal);
      return;
    case "permanent":
      ctx.logger.warn("request refused; backing off to the maximum", { ...ctx.fields, code: error.code });
      backoff.toRefused();
      break;
    case "transient":
      ctx.logger.info("attempt failed; retrying", { ...ctx.fields, code: error.code, message: error.message });
      break;
  }
  await retryLater(ctx, error, backoff.next());
}

/** `retrying` until the next attempt, and the wait for it (which `wake()` ends). */
export async function retryLater(ctx: FailureWaitContext, lastError: CacheError, delayMs: number): Promise<void> {
  ctx.setState({ kind: "retrying", nextAttemptAt: ctx.clock.now() + delayMs, lastError });
  await ctx.waits.wait(delayMs, "backoff", ctx.signal);
}
