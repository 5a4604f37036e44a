import { sleep } from "../clock.js";
import type { CollectionAttempt } from "./collection-attempt.js";
import { FULL_VALUES_UP_TO } from "./stream-shape.js";

/**
 * Whether a new device stream asks for changes only, and reads just the
 * wanted publications itself: when nobody watches the whole device and the
 * device is known to be large (stream-shape.ts: more than 32). Then a
 * connect costs the server what the screen wants — a Get for each of its
 * publications — not a snapshot of the whole device (a management server
 * holds one configuration per device of a site: thousands on a campus).
 * A fleet view, which wants the whole device, still gets the snapshot.
 */
export function opensWithUpdatesOnly(attempt: { readonly ctx: CollectionAttempt["ctx"] }): boolean {
  const { wanted, shape, index } = attempt.ctx;
  // Large as an earlier snapshot showed, or as the size probe found before the first stream.
  const large = index.size > FULL_VALUES_UP_TO || (shape.policy === "auto" && shape.decided && !shape.fullValues);
  return !wanted.deviceWatched && large;
}

/**
 * The opening of a changes-only stream: once it is open, every wanted
 * publication is read (GetPublication) and the stream carries every change
 * after. The window between the two is closed this way:
 * - the reads start only once the server has the stream: at its first
 *   message, or `settleMs` after it was asked for (a server sends nothing,
 *   not even headers, on a changes-only stream until something changes; it
 *   registers the stream as the call arrives, one round trip after it left);
 * - a change the stream announces before a read answers makes that read
 *   count for nothing and queues another (value-fetcher.ts: latest wins);
 * - a change after the read answered comes on the stream.
 * Then every wanted publication is live. A read that fails ends the attempt.
 */
export async function openWanted(attempt: CollectionAttempt): Promise<void> {
  const { ctx } = attempt;
  const wait = sleep(ctx.clock, ctx.timing.settleMs, attempt.signal);
  await Promise.race([attempt.firstMessage, wait.promise]);
  wait.wake();
  if (attempt.signal.aborted) return;
  attempt.opened = true;
  attempt.indexComplete = true;
  await Promise.all(ctx.wanted.all().map((held) => held.load()));
  if (attempt.signal.aborted) return;
  for (const id of ctx.wanted.ids()) attempt.reconcileId(id);
  await attempt.fetcher.idle();
  if (attempt.signal.aborted) return;
  attempt.progress.delivered = true;
  ctx.wanted.setStates({ kind: "live" });
}
