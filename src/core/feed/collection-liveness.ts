import type { CollectionAttempt } from "./collection-attempt.js";
import { listPublications } from "./list-publications.js";

/** Ids and versions only: the check costs one small record per publication of the device. */
const VERSION_READ_MASK = { paths: ["id", "version"] };

/**
 * Dead-stream detection, once per device. A stream can hang silently (a
 * laptop asleep, a NAT entry that timed out) and never deliver again. When
 * the stream has said nothing for `quietCheckMs` (or at once on `wake()`),
 * one ListPublications (ids and versions) checks every wanted publication:
 * - all as the stream told us → every held value is confirmed;
 * - a version the stream did not announce, or a deletion it did not → the
 *   stream missed something: the attempt ends with `restart`;
 * - the call fails → the attempt ends with its error.
 * A message that arrives during the check is newer than the check's answer:
 * the check then says nothing.
 */
export async function watchCollectionLiveness(attempt: CollectionAttempt): Promise<void> {
  const { ctx } = attempt;
  const { clock, timing, waits } = ctx;
  let lastCheckAt = clock.now();
  while (!attempt.signal.aborted) {
    const quietSince = Math.max(attempt.lastMessageAt, lastCheckAt);
    const outcome = await waits.wait(quietSince + timing.quietCheckMs - clock.now(), "quiet", attempt.signal);
    if (outcome === "aborted") return;
    if (outcome === "elapsed" && clock.now() - Math.max(attempt.lastMessageAt, lastCheckAt) < timing.quietCheckMs) continue;
    // Until the snapshot settled, what the stream said is incomplete: nothing to compare yet.
    if (!attempt.indexComplete) {
      lastCheckAt = clock.now();
      continue;
    }

    const messagesBefore = attempt.messages;
    let versions: Map<string, string>;
    try {
      const listed = await listPublications(ctx, VERSION_READ_MASK, attempt.signal);
      versions = new Map(listed.map((p) => [p.id, p.version]));
    } catch (error) {
      if (!attempt.signal.aborted) attempt.end({ kind: "failed", error });
      return;
    }
    lastCheckAt = clock.now();
    if (attempt.messages !== messagesBefore || attempt.signal.aborted) continue;
    if (!agrees(attempt, versions)) {
      ctx.logger.info("the stream missed a change; reconnecting", { device: ctx.device });
      attempt.end({ kind: "restart" });
      return;
    }
    attempt.progress.delivered = true;
    for (const held of ctx.wanted.all()) {
      if (held.value && held.value.publication.version === versions.get(held.id)) held.model.confirm();
    }
  }
}

/** True when the listing says of every wanted publication what the stream said. */
function agrees(attempt: CollectionAttempt, versions: ReadonlyMap<string, string>): boolean {
  const { index, wanted } = attempt.ctx;
  return wanted.ids().every((id) => {
    const listed = versions.get(id);
    if (attempt.fetcher.pending(id)) return true;
    if (listed === undefined) return !index.has(id);
    return index.current(id) && index.get(id)?.version === listed;
  });
}
