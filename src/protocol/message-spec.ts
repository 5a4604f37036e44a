import { PROTOCOL_VERSION, type AnyMessage, type HostReportMessage, type ToHostMessage } from "./messages.js";
import { asRecord, recordOf, type FieldReaders, type RecordRead, type Untrusted } from "./validate.js";

/** Which way a message goes: pages → the host, or the host → every page. */
export type Direction = "to-host" | "to-page";

/** One row of the protocol: the direction and protocol version of a message type, and its validator. */
export interface MessageSpec<M extends AnyMessage> {
  /** Checked against the message's type: a host-bound interface cannot be given a page-bound row. */
  readonly direction: M extends ToHostMessage ? "to-host" : "to-page";
  readonly version: typeof PROTOCOL_VERSION;
  /** Validates an untrusted envelope of this type; `undefined` when any field is malformed. */
  readonly parse: (record: Record<string, unknown>) => M | undefined;
}

/** The rows of every message of `M`, one per type: a missing or extra row does not compile. */
export type MessageTable<M extends AnyMessage> = { readonly [T in M["type"]]: MessageSpec<Extract<M, { type: T }>> };

/** Longest id a message carries (a tab's client id, a request id, a host id). */
export const MAX_ID = 128;

/**
 * The types of each direction's messages at run time, without their
 * validators: a side tells "a message for the other side" (ignored) from
 * junk (dropped and counted) by these alone, so it need not carry the
 * validators of messages it never receives. The page-bound list is the
 * host's alone (`page-bound.ts`): a page asks only whether a message is
 * host-bound.
 */
const HOST_BOUND: { readonly [T in ToHostMessage["type"]]: true } = {
  "subscribe": true,
  "unsubscribe": true,
  "heartbeat": true,
  "watch-device": true,
  "unwatch-device": true,
  "acknowledge": true,
  "goodbye": true,
  "wake": true,
  "token": true,
  "clear": true,
};

/** The types of the host's reports (see `HostReportMessage`). */
export const HOST_REPORT_TYPES: { readonly [T in HostReportMessage["type"]]: true } = {
  "receipts": true,
  "storage-recoveries": true,
  "watchdog-events": true,
  "upstream-protocols": true,
  "server-contacts": true,
};

/** True when `raw` names a host-bound message type of this version (well-formed or not): "not for me" to a page. */
export const isHostBound = (raw: Untrusted): boolean => named(raw, HOST_BOUND);

/** True when `raw` names one of the host's reports, of this version (well-formed or not). */
export function isHostReport(raw: Untrusted): boolean {
  return named(raw, HOST_REPORT_TYPES);
}

/** True when `raw` is an envelope of this version whose type is one of `types` (a list above, or `page-bound.ts`'s). */
export function named(raw: Untrusted, types: object): boolean {
  const record = versioned(raw);
  return record !== undefined && Object.hasOwn(types, record.type as string);
}

/**
 * Validates `raw` against one table's rows: `undefined` for anything
 * that is not a well-formed message of this protocol version in `table`.
 */
export function parseWithTable<M extends AnyMessage>(table: MessageTable<M>, raw: Untrusted): M | undefined {
  const record = versioned(raw);
  const spec = record && Object.hasOwn(table, record.type as string) ? (table[record.type as M["type"]] as MessageSpec<M>) : undefined;
  if (!record || !spec || record.v !== spec.version) return undefined;
  return spec.parse(record);
}

/**
 * A row's `parse` from the readers of the message's fields (see `recordOf`):
 * the message of this protocol version and `type` with the fields read
 * (nothing else the record carries), `undefined` when one is malformed.
 */
/* @__NO_SIDE_EFFECTS__ */
export function messageOf<T extends AnyMessage["type"], F extends FieldReaders>(
  type: T,
  fields: F,
): (record: Record<string, unknown>) => ({ v: typeof PROTOCOL_VERSION; type: T } & RecordRead<F>) | undefined {
  const read = recordOf(fields);
  return (record) => {
    const body = read(record);
    return body && { v: PROTOCOL_VERSION, type, ...body };
  };
}

/** An envelope of this protocol version with a string type, else `undefined`. */
function versioned(raw: Untrusted): Record<string, unknown> | undefined {
  const record = asRecord(raw);
  return record && record.v === PROTOCOL_VERSION && typeof record.type === "string" ? record : undefined;
}
