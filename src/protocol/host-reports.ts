import { parseWithTable, type MessageTable } from "./message-spec.js";
import type { HostReportMessage, ServerContact, StorageRecovery, UpstreamProtocol, WatchdogEvent, WireReceipt } from "./messages.js";
import { MAX_SERVER_CONTACTS, MAX_STORAGE_RECOVERIES, MAX_UPSTREAM_PROTOCOLS, MAX_WATCHDOG_EVENTS, PROTOCOL_VERSION } from "./messages.js";
import { asServerUrl } from "./publication-ref.js";
import { parseReceiptFields } from "./receipt-fields.js";
import { absent, asArrayOf, asNumber, asOneOf, asRecord, asString, optional, type Untrusted } from "./validate.js";
import { parseCacheError } from "./cache-error.js";

const MAX_NAME = 1024;
const MAX_RECEIPTS = 10_000;
const MAX_URL = 4096;
const WATCHDOG_ACTIONS = ["reloaded", "held-back"] as const;
const STATUSES = ["pending", "sent", "refused"] as const;
const RECOVERED_STORAGES = ["database", "app-files"] as const;

const v = PROTOCOL_VERSION;

/**
 * The protocol's rows for the host's reports (see `HostReportMessage`;
 * `parse-messages.ts` has the whole table): page-bound like those of
 * `to-page-messages.ts`, but a page loads this table only when the first
 * report arrives — none is needed to show a value.
 */
export const HOST_REPORTS: MessageTable<HostReportMessage> = {
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

/** Validates one of the host's reports: `undefined` for anything else. */
export function parseHostReport(raw: Untrusted): HostReportMessage | undefined {
  return parseWithTable(HOST_REPORTS, raw);
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
