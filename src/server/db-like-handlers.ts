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
import { DEFAULT_PAGE_SIZE } from "./page-token.js";
import { requireField } from "./publication-rules.js";
import { compareIds } from "./publication-store.js";
import type { ServiceContext } from "./service-context.js";
import type { UnaryHandlers } from "./unary-handlers.js";
import type { VersionHistory } from "./version-history.js";

/**
 * The unary RPCs as the database-backed server of Smart Core BOS answers
 * them (`pgxpublications`, read line by line; `--db-like`; the spec's "The
 * Postgres-backed server, exactly"), built on the reference handlers for what
 * it does the same way:
 *
 * - `read_mask` is ignored on Get and List: full bodies always.
 * - Every publication answered carries an audience (empty name when it has
 *   none) whose receipt is NO_SIGNAL or that version's acknowledgement.
 * - Get honours `version` (any past version); a missing id or version → UNKNOWN "no rows in result set".
 * - Create needs an id (INVALID_ARGUMENT); an existing id → INTERNAL "database error".
 * - Update: any `update_mask` → UNIMPLEMENTED; the audience is fixed at
 *   Create (ignored); a missing id → UNKNOWN (a foreign-key violation).
 * - Delete of a missing id without `allow_missing` → UNKNOWN "no rows in result set".
 * - List: no `total_size`, no page-size cap, the page token is the last id
 *   in plain text and every non-empty page carries one (the end is an empty page).
 * - Acknowledge needs ACCEPTED or REJECTED (and no reason with ACCEPTED);
 *   the version is looked up first (never minted → UNKNOWN "no rows"), must
 *   belong to the id (NOT_FOUND), and is acknowledged once: a second
 *   acknowledgement → UNKNOWN (a unique-key violation), unless
 *   `allow_acknowledged` and the same kind of receipt (the publication, unchanged).
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

  /** The row of `version`, whichever publication it belongs to (a version is a UUID primary key). */
  function versionRow(version: string): Publication | undefined {
    const owner = history.ownerOf(version);
    if (owner !== undefined) return history.get(owner, version);
    return store.list().find((e) => e.publication.version === version)?.publication;
  }

  return {
    async createPublication(request, context) {
      if ((request.publication?.id ?? "") === "") {
        throw new ConnectError("publication ID must be present", Code.InvalidArgument);
      }
      try {
        return withAudience(create(PublicationSchema, await reference.createPublication(request, context)));
      } catch (err) {
        // The insert fails on the primary key; the server answers that as a plain database error.
        if (ConnectError.from(err).code === Code.AlreadyExists) throw new ConnectError("database error", Code.Internal);
        throw err;
      }
    },

    async updatePublication(request, context) {
      if (request.updateMask !== undefined) throw new ConnectError("field mask support not implemented", Code.Unimplemented);
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.publication?.id, "publication.id");
      const current = store.get(id)?.publication;
      if (current === undefined) throw foreignKeyViolation();
      // The audience is a column of the publication row, written at Create: a new version cannot change it.
      const publication = clone(PublicationSchema, request.publication!);
      publication.audience = current.audience === undefined ? undefined : create(Publication_AudienceSchema, { name: current.audience.name });
      return withAudience(create(PublicationSchema, await reference.updatePublication({ ...request, publication }, context)));
    },

    async deletePublication(request, context) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      if (store.get(id) === undefined && !request.allowMissing) throw noRows();
      const deleted = create(PublicationSchema, await reference.deletePublication(request, context));
      return deleted.id === "" ? deleted : withAudience(deleted);
    },

    getPublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      // `read_mask` is not read: the whole row is the answer.
      const answer = withAudience(version(id, request.version));
      return ctx.faults.nextGetPublication(answer, (request.readMask?.paths.length ?? 0) > 0);
    },

    listPublications(request) {
      checkDeviceName(ctx.device, request.name);
      // No cap; zero or negative means the default, as `if pageSize > 0` reads it. `read_mask` is not read.
      const limit = request.pageSize > 0 ? request.pageSize : DEFAULT_PAGE_SIZE;
      const after = request.pageToken; // the last id sent, in plain text: `WHERE id > $1 OR $1 = ''`
      const page = store
        .list()
        .filter((e) => after === "" || compareIds(e.publication.id, after) > 0)
        .slice(0, limit);
      return create(ListPublicationsResponseSchema, {
        publications: page.map((e) => withAudience(e.publication)),
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
        const row = versionRow(request.version);
        if (row === undefined) throw noRows();
        if (row.id !== id) throw new ConnectError(`version ${JSON.stringify(request.version)} is not a version of ${JSON.stringify(id)}`, Code.NotFound);
        const target = version(id, request.version);
        const receipt = target.audience?.receipt;
        if (receipt === Receipt.ACCEPTED || receipt === Receipt.REJECTED) {
          // The insert into the acknowledgements table hits its key; with allow_acknowledged an equal one is fine.
          if (request.allowAcknowledged && receipt === request.receipt) return withAudience(target);
          throw uniqueViolation();
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

/**
 * The publication as that server reads it back: the audience comes from a
 * join, so it is always there — an empty name when none was set, NO_SIGNAL
 * until the version is acknowledged. Not modified in place.
 */
export function withAudience(publication: Publication): Publication {
  if (publication.audience !== undefined && publication.audience.receipt !== Receipt.RECEIPT_UNSPECIFIED) return publication;
  const copy = clone(PublicationSchema, publication);
  copy.audience ??= create(Publication_AudienceSchema);
  copy.audience.receipt = Receipt.NO_SIGNAL;
  return copy;
}

/** What the database-backed server answers for a row that is not there: pgx's ErrNoRows, surfaced as UNKNOWN. */
function noRows(): ConnectError {
  return new ConnectError("no rows in result set", Code.Unknown);
}

/** Postgres's answer to a new version of a publication that does not exist, surfaced raw. */
function foreignKeyViolation(): ConnectError {
  return new ConnectError("ERROR: insert or update violates foreign key constraint (SQLSTATE 23503)", Code.Unknown);
}

/** Postgres's answer to a second acknowledgement of one version, surfaced raw. */
function uniqueViolation(): ConnectError {
  return new ConnectError("ERROR: duplicate key value violates unique constraint (SQLSTATE 23505)", Code.Unknown);
}
