import { sleep } from "../clock.js";
import { CacheFault } from "../error-policy.js";
import type { CollectionAttempt } from "./collection-attempt.js";
import { listPublications } from "./list-publications.js";
import { ID_READ_MASK } from "./publication-metadata.js";
import { preferFullValues } from "./stream-shape.js";

/** How long after the first message the snapshot is taken as complete however busy the stream is. */
const SETTLE_CAP_FACTOR = 5;

/**
 * On connect the server sends every existing publication as ADD, but never
 * says the snapshot is complete. So once the opening changes stop (quiet for
 * `settleMs`, at most a few times that after the first), wanted
 * publications the new stream did not announce are looked up with one
 * ListPublications (ids only): those absent were deleted while we were away
 * and become `removed`, keeping their last value; those present are
 * downloaded. When every wanted publication was announced, no call is made.
 *
 * A stream that says nothing for `openTimeoutMs` is either right (the
 * device has no publication) or stuck (queued behind the browser's six
 * connections per host, or a proxy holding it): the same listing tells
 * which, and a stuck stream ends the attempt with `stream-stalled`, so the
 * screen says so instead of waiting for ever.
 */
export async function settleSnapshot(attempt: CollectionAttempt): Promise<void> {
  const { ctx } = attempt;
  const timeout = sleep(ctx.clock, ctx.timing.openTimeoutMs, attempt.signal);
  const spoke = await Promise.race([attempt.firstMessage.then(() => true), timeout.promise.then(() => false)]);
  timeout.wake();
  if (attempt.signal.aborted) return;
  if (spoke) await quietStream(attempt);
  if (attempt.signal.aborted) return;

  const unseen = ctx.wanted.ids().filter((id) => !ctx.index.current(id));
  if (unseen.length === 0 && attempt.messages > 0) {
    // Everything wanted was announced; entries of an earlier stream stay, as `stale`.
    complete(attempt, undefined);
    return;
  }
  let present: Set<string>;
  try {
    present = new Set((await listPublications(ctx, ID_READ_MASK, attempt.signal)).map((p) => p.id));
  } catch (error) {
    if (!attempt.signal.aborted) attempt.end({ kind: "failed", error });
    return;
  }
  if (attempt.signal.aborted) return;
  attempt.progress.delivered = true;
  if (attempt.messages === 0 && present.size > 0) {
    const seconds = Math.round(ctx.timing.openTimeoutMs / 1000);
    attempt.end({
      kind: "failed",
      error: new CacheFault(
        "stream-stalled",
        `the stream has sent nothing for ${seconds} s although the server lists ${present.size} publication(s): it may be queued behind the browser's connections to this server`,
      ),
    });
    return;
  }
  complete(attempt, present);
}

/** Waits until the opening changes have stopped for `settleMs` (or the cap has passed). */
async function quietStream(attempt: CollectionAttempt): Promise<void> {
  const { clock, timing } = attempt.ctx;
  const cap = (attempt.firstMessageAt ?? clock.now()) + SETTLE_CAP_FACTOR * timing.settleMs;
  for (;;) {
    const quietUntil = Math.min(attempt.lastMessageAt + timing.settleMs, cap);
    if (clock.now() >= quietUntil) return;
    if ((await sleep(clock, quietUntil - clock.now(), attempt.signal).promise) === "aborted") return;
  }
}

/**
 * The index now knows every publication: `present` (when listed) says which
 * exist. Wanted ones the stream did not announce are downloaded if they exist
 * and `removed` if not; entries of an earlier stream that no longer exist go.
 */
function complete(attempt: CollectionAttempt, present: Set<string> | undefined): void {
  const { index, wanted } = attempt.ctx;
  if (present) {
    for (const id of index.staleIds()) if (!present.has(id)) index.delete(id);
    for (const id of wanted.ids()) if (!index.current(id) && present.has(id)) attempt.fetcher.request(id);
  }
  attempt.indexComplete = true;
  for (const id of wanted.ids()) if (!index.current(id) && !attempt.fetcher.pending(id)) attempt.reconcileId(id);
  // Now the device's size is known: should the stream carry bodies (stream-shape.ts)?
  const shape = attempt.ctx.shape;
  const full = preferFullValues(index.size, attempt.fullValues);
  if (shape.policy === "auto") shape.decided = true;
  if (shape.policy === "auto" && full !== attempt.fullValues) {
    shape.fullValues = full;
    attempt.ctx.logger.info(full ? "a small device: streaming bodies" : "a large device: streaming metadata only", {
      device: attempt.ctx.device,
      publications: index.size,
    });
    attempt.end({ kind: "restart" });
  }
}
