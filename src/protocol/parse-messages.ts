import { parseEngineTuning } from "./engine-tuning.js";
import type { DeviceWatch, ServerContact, StorageRecovery, WatchdogEvent, SubscriptionClaim, ToHostMessage, ToPageMessage, UpstreamProtocol, WireReceipt } from "./messages.js";
import { MAX_SERVER_CONTACTS, MAX_STORAGE_RECOVERIES, MAX_UPSTREAM_PROTOCOLS, MAX_WATCHDOG_EVENTS, PROTOCOL_VERSION, type AnyMessage } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { absent, asArrayOf, asBytes, asNumber, asOneOf, asRecord, asString, optional, type Untrusted } from "./validate.js";
import { parseCacheError, parseWireSnapshot, parseWireStateChange } from "./wire-snapshot.js";

const MAX_ID = 128;
const MAX_TOKEN = 16 * 1024;
const MAX_CLAIMS = 1000;
const MAX_DEVICES = 16;
const MAX_NAME = 1024;
const MAX_VERSION = 256;
const MAX_REASON = 200;
const MAX_RECEIPTS = 10_000;
const MAX_DEVICE_PUBLICATIONS = 100_000;
/** A tab's heartbeat period: at most 10 minutes (the page client's default is 5 s). */
const MAX_HEARTBEAT_MS = 600_000;
const MAX_URL = 4096;
const WATCHDOG_ACTIONS = ["reloaded", "held-back"] as const;
/** A publication without its body: id, version, times, media type and audience. */
const MAX_METADATA_BYTES = 16 * 1024;
const RECEIPTS = ["accepted", "rejected"] as const;
const STATUSES = ["pending", "sent", "refused"] as const;
const RECOVERED_STORAGES = ["database", "app-files"] as const;

const v = PROTOCOL_VERSION;

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

type Table = { readonly [T in AnyMessage["type"]]: MessageSpec<Extract<AnyMessage, { type: T }>> };

/**
 * The worker ↔ page protocol, one row per message type (the types are in
 * `messages.ts`; each side's handlers are typed against this table, so a
 * new row does not compile until the side it goes to handles it). Adding a
 * message: its interface in `messages.ts`, its row here, its handler.
 */
export const MESSAGES: Table = {
  "subscribe": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const claim = parseClaim(record.claim);
    return clientId && claim ? { v, type: "subscribe", clientId, claim } : undefined;
    },
  },
  "unsubscribe": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const ref = parsePublicationRef(record.ref);
    return clientId && ref ? { v, type: "unsubscribe", clientId, ref } : undefined;
    },
  },
  "heartbeat": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const claims = asArrayOf(record.claims, MAX_CLAIMS, parseClaim);
    const devices = optional(record.devices, (value) => asArrayOf(value, MAX_DEVICES, parseDeviceWatch));
    const heartbeatMs = optional(record.heartbeatMs, (value) => asNumber(value, 1, MAX_HEARTBEAT_MS));
    if (!clientId || !claims || devices === undefined || heartbeatMs === undefined) return undefined;
    return {
      v,
      type: "heartbeat",
      clientId,
      claims,
      ...(devices !== absent && { devices }),
      ...(heartbeatMs !== absent && { heartbeatMs }),
    };
    },
  },
  "watch-device": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const watch = parseDeviceWatch(record.watch);
    return clientId && watch ? { v, type: "watch-device", clientId, watch } : undefined;
    },
  },
  "unwatch-device": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const scope = parseScope(record.scope);
    return clientId && scope ? { v, type: "unwatch-device", clientId, scope } : undefined;
    },
  },
  "acknowledge": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    const ref = parsePublicationRef(record.ref);
    const receipt = parseReceiptFields(record);
    return clientId && ref && receipt ? { v, type: "acknowledge", clientId, ref, ...receipt } : undefined;
    },
  },
  "goodbye": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    return clientId ? { v, type: "goodbye", clientId } : undefined;
    },
  },
  "wake": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const clientId = asString(record.clientId, MAX_ID);
    return clientId ? { v, type: "wake", clientId } : undefined;
    },
  },
  "token": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const server = asServerUrl(record.server);
    const token = record.token === null ? null : asString(record.token, MAX_TOKEN);
    return server && token !== undefined && token !== "" ? { v, type: "token", server, token } : undefined;
    },
  },
  "clear": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
    const requestId = asString(record.requestId, MAX_ID);
    const scope = parseScope(record.scope);
    return requestId && scope ? { v, type: "clear", requestId, scope } : undefined;
    },
  },
  "snapshot": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const ref = parsePublicationRef(record.ref);
    const snapshot = parseWireSnapshot(record.snapshot);
    return ref && snapshot ? { v, type: "snapshot", ref, snapshot } : undefined;
    },
  },
  "state": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const ref = parsePublicationRef(record.ref);
    const change = parseWireStateChange(record.change);
    return ref && change ? { v, type: "state", ref, change } : undefined;
    },
  },
  "token-request": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const server = asServerUrl(record.server);
    return server ? { v, type: "token-request", server } : undefined;
    },
  },
  "cleared": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const requestId = asString(record.requestId, MAX_ID);
    return requestId ? { v, type: "cleared", requestId } : undefined;
    },
  },
  "host-ready": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const hostId = asString(record.hostId, MAX_ID);
    return hostId ? { v, type: "host-ready", hostId } : undefined;
    },
  },
  "device": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const scope = parseScope(record.scope);
    const publications = asArrayOf(record.publications, MAX_DEVICE_PUBLICATIONS, (item) => asBytes(item, MAX_METADATA_BYTES));
    return scope && publications ? { v, type: "device", scope, publications } : undefined;
    },
  },
  "receipts": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const server = asServerUrl(record.server);
    const receipts = asArrayOf(record.receipts, MAX_RECEIPTS, parseWireReceipt);
    const refusedSince = optional(record.refusedSince, (value) => asNumber(value, 0));
    if (!server || !receipts || refusedSince === undefined) return undefined;
    return { v, type: "receipts", server, receipts, ...(refusedSince !== absent && { refusedSince }) };
    },
  },
  "storage-recoveries": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const recoveries = asArrayOf(record.recoveries, MAX_STORAGE_RECOVERIES, parseStorageRecovery);
    return recoveries ? { v, type: "storage-recoveries", recoveries } : undefined;
    },
  },
  "watchdog-events": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const events = asArrayOf(record.events, MAX_WATCHDOG_EVENTS, parseWatchdogEvent);
    return events ? { v, type: "watchdog-events", events } : undefined;
    },
  },
  "upstream-protocols": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const upstreams = asArrayOf(record.upstreams, MAX_UPSTREAM_PROTOCOLS, parseUpstreamProtocol);
    return upstreams ? { v, type: "upstream-protocols", upstreams } : undefined;
    },
  },
  "server-contacts": {
    direction: "to-page",
    version: 1,
    parse: (record) => {
    const contacts = asArrayOf(record.contacts, MAX_SERVER_CONTACTS, parseServerContact);
    return contacts ? { v, type: "server-contacts", contacts } : undefined;
    },
  },
};

/**
 * Validates a message going `direction`. Returns `undefined` for anything
 * that is not a well-formed message of this protocol version going that way
 * — including messages going the other way, which share the channel.
 */
export function parseMessage(raw: Untrusted, direction: "to-host"): ToHostMessage | undefined;
export function parseMessage(raw: Untrusted, direction: "to-page"): ToPageMessage | undefined;
export function parseMessage(raw: Untrusted, direction: Direction): AnyMessage | undefined {
  const record = versioned(raw);
  const spec = record && Object.hasOwn(MESSAGES, record.type as string) ? MESSAGES[record.type as AnyMessage["type"]] : undefined;
  if (!record || !spec || spec.direction !== direction || record.v !== spec.version) return undefined;
  return (spec.parse as (r: Record<string, unknown>) => AnyMessage | undefined)(record);
}

/** Validates a message meant for the host (see {@link parseMessage}). */
export function parseToHostMessage(raw: Untrusted): ToHostMessage | undefined {
  return parseMessage(raw, "to-host");
}

/** Validates a message meant for pages (see {@link parseMessage}). */
export function parseToPageMessage(raw: Untrusted): ToPageMessage | undefined {
  return parseMessage(raw, "to-page");
}

/** True when `raw` names a message type of this version that goes `direction` (well-formed or not): "not for me" rather than "malformed". */
export function isAddressed(raw: Untrusted, direction: Direction): boolean {
  const record = versioned(raw);
  if (!record || !Object.hasOwn(MESSAGES, record.type as string)) return false;
  const spec = MESSAGES[record.type as AnyMessage["type"]];
  return spec.direction === direction && record.v === spec.version;
}

function versioned(raw: Untrusted): Record<string, unknown> | undefined {
  const record = asRecord(raw);
  return record && record.v === PROTOCOL_VERSION && typeof record.type === "string" ? record : undefined;
}

function parseDeviceWatch(raw: Untrusted): DeviceWatch | undefined {
  const record = asRecord(raw);
  const scope = parseScope(record?.scope);
  const tuning = optional(record?.tuning, parseEngineTuning);
  if (!scope || tuning === undefined) return undefined;
  return tuning === absent ? { scope } : { scope, tuning };
}

/** The fields every acknowledgement carries: version, publish time, receipt and reason. */
function parseReceiptFields(
  record: Record<string, unknown>,
): Pick<WireReceipt, "version" | "publishTimeMs" | "receipt" | "reason"> | undefined {
  const version = asString(record.version, MAX_VERSION);
  const publishTimeMs = optional(record.publishTimeMs, (value) => asNumber(value, 0));
  const receipt = asOneOf(record.receipt, RECEIPTS);
  const reason = optional(record.reason, (value) => asString(value, MAX_REASON));
  if (!version || publishTimeMs === undefined || !receipt || reason === undefined) return undefined;
  return {
    version,
    receipt,
    ...(publishTimeMs !== absent && { publishTimeMs }),
    ...(reason !== absent && { reason }),
  };
}

function parseWireReceipt(raw: Untrusted): WireReceipt | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const device = asString(record.device, MAX_NAME);
  const id = asString(record.id, MAX_NAME);
  const fields = parseReceiptFields(record);
  const status = asOneOf(record.status, STATUSES);
  const updatedAt = asNumber(record.updatedAt, 0);
  const lastError = optional(record.lastError, parseCacheError);
  if (device === undefined || !id || !fields || !status || updatedAt === undefined || lastError === undefined) return undefined;
  return { device, id, ...fields, status, updatedAt, ...(lastError !== absent && { lastError }) };
}

function parseStorageRecovery(raw: Untrusted): StorageRecovery | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const storage = asOneOf(record.storage, RECOVERED_STORAGES);
  const detectedAt = asNumber(record.detectedAt, 0);
  const restoredAt = optional(record.restoredAt, (value) => asNumber(value, 0));
  const restored = asNumber(record.restored, 0, 1_000_000);
  if (!storage || detectedAt === undefined || restoredAt === undefined || restored === undefined || !Number.isInteger(restored)) return undefined;
  return { storage, detectedAt, restored, ...(restoredAt !== absent && { restoredAt }) };
}

/** An origin as `URL` prints it: http(s), no path, no credentials. */
function asOrigin(value: Untrusted): string | undefined {
  const text = asString(value, MAX_NAME);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text ? text : undefined;
  } catch {
    return undefined;
  }
}

/** An ALPN protocol id as Resource Timing gives it (`h2`, `http/1.1`, `h3`): short, no spaces or markup. */
const PROTOCOL_ID = /^[a-z0-9][a-z0-9./_-]{0,31}$/i;

function parseUpstreamProtocol(raw: Untrusted): UpstreamProtocol | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const origin = asOrigin(record.origin);
  const protocol = optional(record.protocol, (value) => {
    const text = asString(value, 32);
    return text !== undefined && PROTOCOL_ID.test(text) ? text : undefined;
  });
  const since = asNumber(record.since, 0);
  if (!origin || protocol === undefined || since === undefined) return undefined;
  return { origin, since, ...(protocol !== absent && { protocol }) };
}

function parseServerContact(raw: Untrusted): ServerContact | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const server = asServerUrl(record.server);
  const heardAt = optional(record.heardAt, (value) => asNumber(value, 0));
  const lostAt = optional(record.lostAt, (value) => asNumber(value, 0));
  if (!server || heardAt === undefined || lostAt === undefined) return undefined;
  return { server, ...(heardAt !== absent && { heardAt }), ...(lostAt !== absent && { lostAt }) };
}

function parseClaim(raw: Untrusted): SubscriptionClaim | undefined {
  const record = asRecord(raw);
  const ref = parsePublicationRef(record?.ref);
  const tuning = optional(record?.tuning, parseEngineTuning);
  if (!ref || tuning === undefined) return undefined;
  return tuning === absent ? { ref } : { ref, tuning };
}

/** One watchdog event, validated (also what the worker reads back from its own storage). */
export function parseWatchdogEvent(value: Untrusted): WatchdogEvent | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const url = asString(record.url, MAX_URL);
  const at = asNumber(record.at, 0);
  const action = asOneOf(record.action, WATCHDOG_ACTIONS);
  const silentMs = asNumber(record.silentMs, 0);
  return url !== undefined && at !== undefined && action && silentMs !== undefined ? { url, at, action, silentMs } : undefined;
}
