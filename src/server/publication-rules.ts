import { clone, create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Publication_Audience_Receipt as Receipt,
  Publication_AudienceSchema,
  PublicationSchema,
  type AcknowledgePublicationRequest,
  type Publication,
} from "../gen/smartcore/traits/publication_pb.js";
import { mintVersion } from "./version.js";

/**
 * The value stored when `publication` is created or updated at `now`: a new
 * publish time, the receipt of an audience reset to NO_SIGNAL (time and
 * reason cleared), and a version from `mint` (by default the reference's
 * digest of the content). The input is not modified; whatever version or
 * publish time it carried is overwritten.
 */
export function publish(publication: Publication, now: number, mint: (p: Publication) => string = mintVersion): Publication {
  const next = clone(PublicationSchema, publication);
  if (next.audience !== undefined) {
    next.audience.receipt = Receipt.NO_SIGNAL;
    next.audience.receiptTime = undefined;
    next.audience.receiptRejectedReason = "";
  }
  next.publishTime = timestampFromMs(now);
  next.version = mint(next);
  return next;
}

/** Throws `code` when `expected` is set and is not the current version (optimistic concurrency). */
export function checkVersion(current: Publication, expected: string, code: Code): void {
  if (expected !== "" && expected !== current.version) {
    throw new ConnectError(
      `version mismatch: request has ${JSON.stringify(expected)}, publication ${JSON.stringify(current.id)} is at ${JSON.stringify(current.version)}`,
      code,
    );
  }
}

/** Throws INVALID_ARGUMENT when a required string field is empty. */
export function requireField(value: string | undefined, field: string): string {
  if (value === undefined || value === "") throw new ConnectError(`${field} is required`, Code.InvalidArgument);
  return value;
}

/**
 * The publication after the acknowledgement `request` at `now`, or
 * `undefined` when it was already acknowledged and the request allows that
 * (the current value is then the answer, unchanged). Version and publish time
 * stay; the receipt, its reason and its time are set. Throws ABORTED for a
 * version mismatch and FAILED_PRECONDITION for a second acknowledgement.
 */
export function acknowledge(current: Publication, request: AcknowledgePublicationRequest, now: number): Publication | undefined {
  checkVersion(current, request.version, Code.Aborted);
  const receipt = current.audience?.receipt;
  if (receipt === Receipt.ACCEPTED || receipt === Receipt.REJECTED) {
    if (request.allowAcknowledged) return undefined;
    throw new ConnectError(`${request.id}@${request.version} is already acknowledged`, Code.FailedPrecondition);
  }
  const next = clone(PublicationSchema, current);
  next.audience ??= create(Publication_AudienceSchema);
  next.audience.receipt = request.receipt;
  next.audience.receiptRejectedReason = request.receiptRejectedReason;
  next.audience.receiptTime = timestampFromMs(now);
  return next;
}

/**
 * When a stored value was last written (ms), read from the value itself:
 * only publishing (publish time) and acknowledging (receipt time) write, so
 * the later of the two is the time of the last write, across restarts too.
 * `undefined` when the value carries neither.
 */
export function lastWrittenAt(publication: Publication): number | undefined {
  const times = [publication.publishTime, publication.audience?.receiptTime].filter((t) => t !== undefined);
  return times.length === 0 ? undefined : Math.max(...times.map((t) => timestampMs(t)));
}
