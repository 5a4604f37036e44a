import { clone, create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  ListPublicationsResponseSchema,
  Publication_Audience_Receipt as Receipt,
  Publication_AudienceSchema,
  PublicationSchema,
  type Publication,
} from "../gen/smartcore/traits/publication_pb.js";
import { checkDeviceName } from "./device-name.js";
import { applyReadMask, validateMask } from "./field-mask.js";
import { DEFAULT_PAGE_SIZE } from "./page-token.js";
import { requireField } from "./publication-rules.js";
import { compareIds } from "./publication-store.js";
import type { ServiceContext } from "./service-context.js";
import type { UnaryHandlers } from "./unary-handlers.js";
import type { VersionHistory } from "./version-history.js";

/**
 * The unary RPCs as the database-backed server of Smart Core BOS answers
 * them (`pgxpublications`, read line by line; `--db-like`), built on the
 * reference handlers for everything it does the same way:
 *
 * - Get of a missing id, or of a version the publication never had →
 *   UNKNOWN with the raw database error; Get honours `version`.
 * - Create needs an id: INVALID_ARGUMENT, as that server answers.
 * - Any `update_mask` (even an empty one) → UNIMPLEMENTED.
 * - List: no `total_size`, no page-size cap, the page token is the last id
 *   in plain text and every non-empty page carries one (the end is an empty page).
 * - Acknowledge needs ACCEPTED or REJECTED (and no reason with ACCEPTED),
 *   names any past version, and a version that is not there → UNKNOWN.
 *
 * Versions are random UUIDs (`ctx.mintVersion`), and every version is kept
 * in `history`, which must be set.
 */
export function createDbLikeHandlers(ctx: ServiceContext, reference: UnaryHandlers): UnaryHandlers {
  const { store, locks, clock } = ctx;
  if (ctx.history === undefined) throw new Error("the db-like handlers need a version history");
  const history: VersionHistory = ctx.history;

  /** The version asked for: the current value when `version` is empty or current, else a past one. */
  function version(id: string, version: string): Publication {
    const current = store.get(id)?.publication;
    if (current === undefined) throw noRows();
    if (version === "" || version === current.version) return current;
    const past = history.get(id, version);
    if (past === undefined) throw noRows();
    return past;
  }

  return {
    ...reference,

    createPublication(request, context) {
      if ((request.publication?.id ?? "") === "") {
        throw new ConnectError("publication ID must be present", Code.InvalidArgument);
      }
      return reference.createPublication(request, context);
    },

    updatePublication(request, context) {
      if (request.updateMask !== undefined) throw new ConnectError("field mask support not implemented", Code.Unimplemented);
      return reference.updatePublication(request, context);
    },

    getPublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      validateMask(PublicationSchema, request.readMask, "read_mask");
      const answer = applyReadMask(PublicationSchema, version(id, request.version), request.readMask);
      return ctx.faults.nextGetPublication(answer, (request.readMask?.paths.length ?? 0) > 0);
    },

    listPublications(request) {
      checkDeviceName(ctx.device, request.name);
      validateMask(PublicationSchema, request.readMask, "read_mask");
      // No cap; zero or negative means the default, as `if pageSize > 0` reads it.
      const limit = request.pageSize > 0 ? request.pageSize : DEFAULT_PAGE_SIZE;
      const after = request.pageToken; // the last id sent, in plain text: `WHERE id > $1 OR $1 = ''`
      const page = store
        .list()
        .filter((e) => after === "" || compareIds(e.publication.id, after) > 0)
        .slice(0, limit);
      return create(ListPublicationsResponseSchema, {
        publications: page.map((e) => applyReadMask(PublicationSchema, e.publication, request.readMask)),
        nextPageToken: page.length > 0 ? page[page.length - 1]!.publication.id : "",
      });
    },

    async acknowledgePublication(request) {
      checkDeviceName(ctx.device, request.name);
      if (request.receipt !== Receipt.ACCEPTED && request.receipt !== Receipt.REJECTED) {
        throw new ConnectError("REJECTED or ACCEPTED must be specified", Code.InvalidArgument);
      }
      if (request.receipt === Receipt.ACCEPTED && request.receiptRejectedReason !== "") {
        throw new ConnectError("cannot specify rejected_reason when ACCEPTED", Code.InvalidArgument);
      }
      const id = requireField(request.id, "id");
      requireField(request.version, "version");
      return locks.run(id, async () => {
        const target = version(id, request.version);
        const receipt = target.audience?.receipt;
        if (receipt === Receipt.ACCEPTED || receipt === Receipt.REJECTED) {
          if (request.allowAcknowledged) return target;
          throw new ConnectError(`${id}@${request.version} is already acknowledged`, Code.FailedPrecondition);
        }
        const now = clock.now();
        const acked = clone(PublicationSchema, target);
        acked.audience ??= create(Publication_AudienceSchema);
        acked.audience.receipt = request.receipt;
        acked.audience.receiptRejectedReason = request.receiptRejectedReason;
        acked.audience.receiptTime = timestampFromMs(now);
        const isCurrent = store.get(id)?.publication.version === acked.version;
        try {
          if (isCurrent) await ctx.storage.store(acked);
          await history.record(acked);
        } catch (cause) {
          throw new ConnectError(`cannot save publication ${JSON.stringify(id)}: ${String(cause)}`, Code.Internal);
        }
        if (isCurrent) store.put(acked, now);
        return acked;
      });
    },
  };
}

/** What the database-backed server answers for a row that is not there: pgx's ErrNoRows, surfaced as UNKNOWN. */
function noRows(): ConnectError {
  return new ConnectError("no rows in result set", Code.Unknown);
}
