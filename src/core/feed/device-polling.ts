import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { linkedAbort } from "../abort-link.js";
import type { CacheState } from "../cache-types.js";
import type { FeedAttemptEnd, FeedContext, FeedProgress } from "./feed-context.js";
import { knowledgeOf } from "./index-knowledge.js";
import { listPublicationPages } from "./list-publications.js";
import type { PollWay } from "./poll-costs.js";
import { nextPollDelay } from "./poll-schedule.js";
import { METADATA_READ_MASK, withoutBody } from "./publication-metadata.js";
import { leaveRemoved, reconcile, type ReconcileScope } from "./reconcile.js";
import { ValueFetcher } from "./value-fetcher.js";

const POLLING: CacheState = { kind: "polling" };

/**
 * For servers that stream nothing (the database-backed server answers
 * UNIMPLEMENTED to both pulls): one poll per interval (jittered), each the
 * cheaper of two ways by what this feed measured (poll-costs.ts):
 * - `list`: one paged ListPublications of the device with a metadata mask,
 *   then GetPublication of wanted publications whose version changed — or,
 *   when the server ignores masks, the listed bodies taken as they are;
 * - `get`: one GetPublication per wanted publication.
 * A server whose masks are unknown is first asked for one listed
 * publication: a body in it says masks are ignored, and a listing of a
 * large device would carry every body.
 *
 * Deletions: absent from a listing, or NOT_FOUND from Get → `removed`. An
 * UNKNOWN from Get (what the database-backed server says for a missing row,
 * and for any database failure) is checked against a listing before the
 * publication is taken for deleted.
 *
 * Ends with the first failed call, with `reprobe` when a streaming mode is
 * due to be tried again, and with `idle` when nothing is wanted.
 */
export async function runDevicePolling(
  ctx: FeedContext,
  progress: FeedProgress,
  reprobeAt: number | undefined,
): Promise<FeedAttemptEnd> {
  const costs = ctx.pollCosts;
  const attempt = linkedAbort(ctx.signal);
  let verdict: FeedAttemptEnd | undefined;
  const end = (next: FeedAttemptEnd) => {
    verdict ??= next;
    attempt.abort();
  };
  /** Wanted ids a Get answered UNKNOWN for, with that answer: checked against a listing. */
  const uncertain = new Map<string, unknown>();
  const fetcher = new ValueFetcher(ctx, attempt.signal, "poll", {
    delivered: (id) => {
      progress.delivered = true;
      const held = ctx.wanted.get(id);
      if (held) leaveRemoved(held, POLLING);
    },
    missing: (id) => removed(id),
    failed: (error) => end({ kind: "failed", error }),
    received: (publication) => {
      costs.got(publication);
      // The Get vouched for it: what the index knows of it is current.
      ctx.index.set(publication.id, withoutBody(publication));
      progress.delivered = true;
    },
    unknown: (id, error) => uncertain.set(id, error),
  });
  const removed = (id: string) => {
    ctx.index.delete(id);
    costs.forget(id);
    ctx.wanted.get(id)?.model.setState({ kind: "removed" });
  };
  const scope: ReconcileScope = { fetcher, state: POLLING, source: "poll" };
  /** The way of the running poll; `undefined` before the first one. */
  let way: PollWay | undefined;
  /** Once a listing is in: a publication wanted later is reconciled with it, not fetched blindly. */
  let listed = false;
  const catchUp = (id: string) => {
    const held = ctx.wanted.get(id);
    void held?.load().then(() => {
      if (attempt.signal.aborted || ctx.wanted.get(id) !== held || way === undefined) return;
      if (way === "get" || !listed) fetcher.request(id);
      else if (reconcile(held, knowledgeOf(ctx.index, id, true), scope)) progress.delivered = true;
    });
  };
  const unlisten = ctx.wanted.listen({
    added: (held) => {
      if (way !== undefined) held.model.setState(POLLING);
      catchUp(held.id);
    },
    removed: () => !ctx.wanted.demanded && end({ kind: "idle" }),
    demandChanged: () => !ctx.wanted.demanded && end({ kind: "idle" }),
  });

  /** Every publication of the device by id, the listing measured (and, with bodies, whether masks are honoured learnt). */
  const listDevice = async (): Promise<Map<string, Publication>> => {
    const { publications, pages } = await listPublicationPages(ctx, METADATA_READ_MASK, attempt.signal);
    costs.listed(publications, pages);
    return new Map(publications.map((p) => [p.id, p]));
  };

  /** One listing of the device; every wanted publication brought in line with it. */
  const listRound = async (): Promise<void> => {
    const byId = await listDevice();
    const bodiesListed = costs.masks === "ignored";
    const publications = [...byId.values()];
    ctx.index.replaceAll(bodiesListed ? publications.map(withoutBody) : publications);
    listed = true;
    progress.delivered = true;
    ctx.wanted.setStates(POLLING);
    for (const held of ctx.wanted.all()) {
      await held.load();
      if (attempt.signal.aborted) return;
      const entry = byId.get(held.id);
      if (entry && bodiesListed) takeListed(entry);
      else if (reconcile(held, knowledgeOf(ctx.index, held.id, true), scope)) progress.delivered = true;
    }
  };
  /** A listing that carries bodies: the value itself, no Get needed. */
  const takeListed = (publication: Publication) => {
    const held = ctx.wanted.get(publication.id);
    if (held?.accept(publication, "poll")) leaveRemoved(held, POLLING);
  };

  /** A GetPublication of every wanted publication. */
  const getRound = async (): Promise<void> => {
    ctx.wanted.setStates(POLLING);
    for (const held of ctx.wanted.all()) {
      await held.load();
      if (attempt.signal.aborted) return;
      fetcher.request(held.id);
    }
  };

  /** UNKNOWN from Get: a listing says whether those publications exist. */
  const checkUncertain = async (): Promise<void> => {
    const checking = new Map(uncertain);
    uncertain.clear();
    const byId = await listDevice();
    for (const [id, error] of checking) {
      const entry = byId.get(id);
      if (!entry) {
        ctx.logger.info("GetPublication said UNKNOWN and the listing lacks it: deleted", { device: ctx.device, id });
        removed(id);
      } else if (costs.masks === "ignored") {
        takeListed(entry);
      } else {
        // It exists, and its Get failed: a failure like any other.
        end({ kind: "failed", error });
        return;
      }
    }
  };

  const poll = async (): Promise<void> => {
    if (costs.needsMaskProbe(ctx.wanted.deviceWatched)) await probeMasks();
    // What is held (stored or fetched before) stands for a Get's size until a Get measures it.
    await Promise.all(ctx.wanted.all().map((held) => held.load()));
    if (attempt.signal.aborted) return;
    for (const held of ctx.wanted.all()) if (held.value) costs.held(held.value.publication);
    way = costs.choose(ctx.wanted.ids(), ctx.wanted.deviceWatched);
    if (way === "list") await listRound();
    else await getRound();
    await fetcher.idle();
    if (uncertain.size > 0 && !attempt.signal.aborted) await checkUncertain();
  };

  try {
    while (!attempt.signal.aborted) {
      try {
        await poll();
      } catch (error) {
        if (!attempt.signal.aborted) end({ kind: "failed", error });
        break;
      }
      if (attempt.signal.aborted) break;
      const delay = nextPollDelay(ctx.timing.pollIntervalMs, ctx.random);
      if (reprobeAt !== undefined && reprobeAt <= ctx.clock.now() + delay) {
        await ctx.waits.wait(reprobeAt - ctx.clock.now(), "poll", attempt.signal);
        if (!attempt.signal.aborted) end({ kind: "reprobe" });
        break;
      }
      await ctx.waits.wait(delay, "poll", attempt.signal);
    }
  } finally {
    unlisten();
    attempt.abort();
    await fetcher.idle();
    attempt.dispose();
  }
  return verdict ?? { kind: "idle" };

  /** One listed publication, with a metadata mask: a body in it says the server ignores masks. */
  async function probeMasks(): Promise<void> {
    const response = await ctx.client.listPublications(
      { name: ctx.device, readMask: METADATA_READ_MASK, pageSize: 1 },
      { signal: attempt.signal, timeoutMs: ctx.timing.callTimeoutMs },
    );
    costs.learnMasks(response.publications);
  }
}
