import { Code } from "@connectrpc/connect";
import type { Backoff } from "../backoff.js";
import type { CacheError } from "../cache-types.js";
import { classifyError, hasCode, toCacheError } from "../error-policy.js";
import { retryLater, waitAfterFailure, type FailureWaitContext } from "../failure-wait.js";
import type { AttemptEnd, AttemptProgress, LoopContext } from "./loop-context.js";
import { confirmAfterStreamEnd, runPolling } from "./poll-attempt.js";
import { runPullStream } from "./pull-attempt.js";

/** Counts credential changes, so an auth failure of a call made with old credentials does not wait. */
export interface CredentialsEpoch {
  readonly generation: number;
}

/**
 * The background work of one cache, until `ctx.signal` aborts: attempt
 * (stream, or polling when the server does not stream), then wait as the
 * attempt's end calls for, then attempt again.
 */
export async function runUpdateLoop(ctx: LoopContext, backoff: Backoff, credentials: CredentialsEpoch): Promise<void> {
  while (!ctx.signal.aborted) {
    const credentialsAtStart = credentials.generation;
    const progress: AttemptProgress = { delivered: false };
    const end = await runAttempt(ctx, progress);
    if (ctx.signal.aborted) return;
    // Reset *before* the wait: the Go version reset after waiting, so the
    // first wait after a good connection broke was still the long one.
    if (progress.delivered) backoff.reset();
    const newCredentials = credentials.generation !== credentialsAtStart;
    await waitAfter(ctx, end, backoff, newCredentials);
  }
}

async function runAttempt(ctx: LoopContext, progress: AttemptProgress): Promise<AttemptEnd> {
  // `removed` stays until the server delivers again: a new stream for a
  // missing publication is silent, and the flag must not flicker away.
  if (ctx.model.state.kind !== "removed") ctx.model.setState({ kind: "connecting" });
  const streamEnd = await runPullStream(ctx, progress);
  switch (streamEnd.kind) {
    case "unimplemented":
      if (ctx.onPullUnimplemented) {
        ctx.onPullUnimplemented();
        return { kind: "restart" };
      }
      ctx.logger.debug("server does not stream; polling", fields(ctx));
      return runPolling(ctx, progress);
    case "stream-ended":
      return confirmAfterStreamEnd(ctx, progress);
    default:
      return streamEnd;
  }
}

async function waitAfter(ctx: LoopContext, end: AttemptEnd, backoff: Backoff, newCredentials: boolean): Promise<void> {
  const now = ctx.clock.now();
  const policy: FailureWaitContext = { ...ctx, fields: fields(ctx), setState: (state) => ctx.model.setState(state) };
  switch (end.kind) {
    case "restart":
      ctx.logger.info("stream missed an update; reconnecting", fields(ctx));
      return;
    case "removed":
      ctx.logger.info("publication removed upstream; watching for its return", fields(ctx));
      ctx.model.setState({ kind: "removed" });
      await ctx.waits.wait(backoff.next(), "backoff", ctx.signal);
      return;
    case "stream-ended": {
      const error: CacheError = { code: "stream-ended", message: "the server ended the stream", at: now };
      await retryLater(policy, error, backoff.next());
      return;
    }
    case "failed":
      break;
  }
  if (classifyError(end.error) === "permanent" && hasCode(end.error, Code.NotFound)) {
    // The publication is gone: keep the value, flagged by the state.
    const error = toCacheError(end.error, now);
    ctx.logger.warn("request refused; backing off to the maximum", { ...fields(ctx), code: error.code });
    backoff.toRefused();
    ctx.model.report(error);
    ctx.model.setState({ kind: "removed" });
    await ctx.waits.wait(backoff.next(), "backoff", ctx.signal);
    return;
  }
  await waitAfterFailure(policy, end.error, backoff, newCredentials);
}

function fields(ctx: LoopContext): Record<string, unknown> {
  return { device: ctx.device, id: ctx.id };
}
