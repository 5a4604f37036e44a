import { create, equals } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  PublicationSchema,
  PullPublicationResponseSchema,
  PullPublicationsResponseSchema,
  type Publication,
  type PublicationApi,
} from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import { checkDeviceName } from "./device-name.js";
import { applyReadMask, validateMask } from "./field-mask.js";
import { Mailbox } from "./mailbox.js";
import { MergedChanges, type CollectionChange } from "./merged-changes.js";
import { settleEndedStream } from "./open-streams.js";
import type { PublicationChange } from "./publication-store.js";
import { requireField } from "./publication-rules.js";
import type { ServiceContext } from "./service-context.js";

type PullHandlers = Pick<ServiceImpl<typeof PublicationApi>, "pullPublication" | "pullPublications">;

/**
 * The two streaming RPCs. A stream ends when its publication is deleted
 * (PullPublication, status OK), when the client goes away, or when the
 * server ends it (its signal aborts: see {@link settleEndedStream}).
 * Every response holds one change, and the change's `name` echoes the
 * request's `name` exactly, as the reference server does.
 */
export function createPullHandlers(ctx: ServiceContext): PullHandlers {
  const { store } = ctx;

  return {
    async *pullPublication(request, { signal }) {
      if (ctx.streaming.pullPublication !== "on") throw notStreaming(ctx.streaming.pullPublication, "PullPublication");
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      validateMask(PublicationSchema, request.readMask, "read_mask");
      const name = request.name;

      // Latest wins: a slow receiver skips intermediate versions, never the last.
      const mailbox = new Mailbox<PublicationChange>("latest");
      const unsubscribe = store.subscribe((change) => {
        if (change.id !== id) return;
        mailbox.push(change);
        if (change.type === ChangeType.REMOVE) mailbox.close();
      });
      try {
        // A missing id is not an error: the stream waits, silent, until it is created.
        const current = store.get(id);
        if (current !== undefined && !request.updatesOnly) {
          mailbox.push({ id, type: ChangeType.ADD, oldValue: undefined, newValue: current.publication, changeTime: current.changedAt });
        }
        let lastSent: Publication | undefined;
        for (;;) {
          const change = await mailbox.take(signal);
          if (change === undefined) return signal.aborted ? settleEndedStream(signal) : undefined;
          if (change.newValue === undefined) return; // deleted: the stream ends with OK
          const publication = applyReadMask(PublicationSchema, change.newValue, request.readMask);
          // With a read mask, a change outside the mask would look like a repeat: skip it.
          if (lastSent !== undefined && equals(PublicationSchema, lastSent, publication)) continue;
          lastSent = publication;
          yield create(PullPublicationResponseSchema, {
            changes: [
              {
                name,
                changeTime: timestampFromMs(change.changeTime),
                publication: ctx.faults.nextPullPublication(publication),
              },
            ],
          });
        }
      } finally {
        unsubscribe();
      }
    },

    async *pullPublications(request, { signal }) {
      if (ctx.streaming.pullPublications !== "on") throw notStreaming(ctx.streaming.pullPublications, "PullPublications");
      checkDeviceName(ctx.device, request.name);
      validateMask(PublicationSchema, request.readMask, "read_mask");
      const name = request.name;
      const masked = (p: Publication | undefined) =>
        p === undefined ? undefined : applyReadMask(PublicationSchema, p, request.readMask);

      // A receiver that falls behind gets the pending changes of each id merged
      // (REMOVE + ADD = REPLACE, ADD + REMOVE = nothing), as the reference does;
      // one that keeps up sees every change.
      const mailbox = new Mailbox<CollectionChange>(new MergedChanges());
      const unsubscribe = store.subscribe((change) => mailbox.push(change));
      try {
        if (!request.updatesOnly) {
          for (const entry of store.list()) {
            const { publication, changedAt } = entry;
            mailbox.push({ id: publication.id, type: ChangeType.ADD, oldValue: undefined, newValue: publication, changeTime: changedAt });
          }
        }
        for (;;) {
          const change = await mailbox.take(signal);
          if (change === undefined) return settleEndedStream(signal);
          yield create(PullPublicationsResponseSchema, {
            changes: [
              {
                name,
                type: change.type,
                newValue: change.newValue && ctx.faults.nextPullPublication(masked(change.newValue)!),
                oldValue: masked(change.oldValue),
                changeTime: timestampFromMs(change.changeTime),
              },
            ],
          });
        }
      } finally {
        unsubscribe();
      }
    },
  };
}

/** The UNIMPLEMENTED answer of a streaming RPC that is switched off, worded as the server being imitated words it. */
function notStreaming(why: "off" | "db-like", method: string): ConnectError {
  if (why === "db-like") return new ConnectError(`${method} not implemented`, Code.Unimplemented);
  const instead = method === "PullPublications" ? "pull each publication, or poll GetPublication" : "poll GetPublication";
  return new ConnectError(`${method} is switched off on this server: ${instead} instead`, Code.Unimplemented);
}
