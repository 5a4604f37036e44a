import type { Backoff } from "../backoff.js";
import type { CacheState } from "../cache-types.js";
import { waitAfterFailure as waitAfterPolicy } from "../failure-wait.js";
import type { CredentialsEpoch } from "./update-loop.js";
import { runCollectionStream } from "./collection-stream.js";
import { runDevicePolling } from "./device-polling.js";
import type { FeedAttemptEnd, FeedContext, FeedProgress } from "./feed-context.js";
import type { FeedMode, FeedModes } from "./feed-modes.js";
import { runPublicationStreams } from "./publication-streams.js";

/** What the feed loop needs beyond the context. */
export interface FeedLoopDeps {
  readonly backoff: Backoff;
  readonly newBackoff: () => Backoff;
  readonly credentials: CredentialsEpoch;
  readonly modes: FeedModes;
  /** A one-publication feed (the Go-parity cache): see `FeedKind`. */
  readonly standalone: boolean;
  /** Tells the feed which mode runs (for its stats). */
  readonly onMode: (mode: FeedMode | "idle") => void;
}

/**
 * The background work of a device feed, until `ctx.signal` aborts: run the
 * best mode the server offers; fall to the next at once on UNIMPLEMENTED;
 * after a failure wait as the failure calls for (backoff with jitter, reset
 * once an attempt delivered; needs-auth until new credentials); idle, with
 * no connection at all, while nothing is wanted.
 */
export async function runFeedLoop(ctx: FeedContext, deps: FeedLoopDeps): Promise<void> {
  const { backoff, credentials, modes } = deps;
  while (!ctx.signal.aborted) {
    if (!ctx.wanted.demanded) {
      deps.onMode("idle");
      await untilWanted(ctx);
      continue;
    }
    const credentialsAtStart = credentials.generation;
    const progress: FeedProgress = { delivered: false };
    const mode = modes.choose(ctx.clock.now());
    deps.onMode(mode);
    const end = await runMode(ctx, deps, mode, progress);
    if (ctx.signal.aborted) return;
    // Reset before the wait (the Go version reset after it).
    if (progress.delivered) backoff.reset();
    switch (end.kind) {
      case "unimplemented":
        ctx.logger.info("the server does not offer this; trying the next way", { device: ctx.device, mode });
        modes.markUnsupported(mode, ctx.clock.now());
        continue;
      case "reprobe":
      case "restart":
      case "idle":
        continue;
      case "failed":
        await waitAfterFailure(ctx, end.error, backoff, credentials.generation !== credentialsAtStart);
    }
  }
}

function runMode(ctx: FeedContext, deps: FeedLoopDeps, mode: FeedMode, progress: FeedProgress): Promise<FeedAttemptEnd> {
  const reprobeAt = deps.modes.reprobeAt(mode);
  switch (mode) {
    case "collection":
      ctx.wanted.setStates({ kind: "connecting" });
      return runCollectionStream(ctx, progress);
    case "per-publication":
      return runPublicationStreams(ctx, { newBackoff: deps.newBackoff, credentials: deps.credentials, reprobeAt, standalone: deps.standalone });
    case "polling":
      ctx.wanted.setStates({ kind: "connecting" });
      return runDevicePolling(ctx, progress, reprobeAt);
  }
}

/** After a failed attempt, every wanted publication of the device waits by the one backoff policy. */
function waitAfterFailure(ctx: FeedContext, failure: unknown, backoff: Backoff, newCredentials: boolean): Promise<void> {
  const policy = { ...ctx, fields: { device: ctx.device }, setState: (state: CacheState) => ctx.wanted.setStates(state) };
  return waitAfterPolicy(policy, failure, backoff, newCredentials);
}

/** Resolves once a publication is wanted (or the feed closes). */
function untilWanted(ctx: FeedContext): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted || ctx.wanted.demanded) return resolve();
    const done = () => {
      unlisten();
      ctx.signal.removeEventListener("abort", done);
      resolve();
    };
    const unlisten = ctx.wanted.listen({ added: done, removed: () => undefined, demandChanged: () => ctx.wanted.demanded && done() });
    ctx.signal.addEventListener("abort", done, { once: true });
  });
}
