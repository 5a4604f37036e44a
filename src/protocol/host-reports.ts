import { parseCacheError } from "./cache-error.js";
import { messageOf, parseWithTable, type MessageTable } from "./message-spec.js";
import type { HostReportMessage, ServerContact, StorageRecovery, UpstreamProtocol, WatchdogEvent, WireReceipt } from "./messages.js";
import { MAX_SERVER_CONTACTS, MAX_STORAGE_RECOVERIES, MAX_UPSTREAM_PROTOCOLS, MAX_WATCHDOG_EVENTS } from "./messages.js";
import { asServerUrl } from "./publication-ref.js";
import { RECEIPT_FIELDS } from "./receipt-fields.js";
import { arrayOf, asNumber, asString, nonEmptyStringOf, numberOf, oneOf, optionalOf, recordOf, stringOf, type Reader, type Untrusted } from "./validate.js";

const MAX_NAME = 1024;
const MAX_RECEIPTS = 10_000;
const MAX_URL = 4096;
const WATCHDOG_ACTIONS = ["reloaded", "held-back"] as const;
const STATUSES = ["pending", "sent", "refused"] as const;
const RECOVERED_STORAGES = ["database", "app-files"] as const;

const time = numberOf(0);

/** An origin as `URL` prints it: http(s), no path, no credentials. */
const origin: Reader<string> = (value) => {
  const text = asString(value, MAX_NAME);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text ? text : undefined;
  } catch {
    return undefined;
  }
};

/** An ALPN protocol id as Resource Timing gives it (`h2`, `http/1.1`, `h3`): short, no spaces or markup. */
const PROTOCOL_ID = /^[a-z0-9][a-z0-9./_-]{0,31}$/i;
const protocolId: Reader<string> = (value) => {
  const text = asString(value, 32);
  return text !== undefined && PROTOCOL_ID.test(text) ? text : undefined;
};

/** How many values a recovery wrote back: a whole number. */
const restoredCount: Reader<number> = (value) => {
  const count = asNumber(value, 0, 1_000_000);
  return count !== undefined && Number.isInteger(count) ? count : undefined;
};

const parseWireReceipt: Reader<WireReceipt> = recordOf({
  device: stringOf(MAX_NAME),
  id: nonEmptyStringOf(MAX_NAME),
  ...RECEIPT_FIELDS,
  status: oneOf(STATUSES),
  updatedAt: time,
  lastError: optionalOf(parseCacheError),
});

const parseStorageRecovery: Reader<StorageRecovery> = recordOf({
  storage: oneOf(RECOVERED_STORAGES),
  detectedAt: time,
  restoredAt: optionalOf(time),
  restored: restoredCount,
});

const parseUpstreamProtocol: Reader<UpstreamProtocol> = recordOf({ origin, protocol: optionalOf(protocolId), since: time });

const parseServerContact: Reader<ServerContact> = recordOf({ server: asServerUrl, heardAt: optionalOf(time), lostAt: optionalOf(time) });

/** One watchdog event, validated (also what the worker reads back from its own storage). */
export const parseWatchdogEvent: Reader<WatchdogEvent> = recordOf({ url: stringOf(MAX_URL), at: time, action: oneOf(WATCHDOG_ACTIONS), silentMs: time });

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
    parse: messageOf("receipts", { server: asServerUrl, receipts: arrayOf(MAX_RECEIPTS, parseWireReceipt), refusedSince: optionalOf(time) }),
  },
  "storage-recoveries": {
    direction: "to-page",
    version: 1,
    parse: messageOf("storage-recoveries", { recoveries: arrayOf(MAX_STORAGE_RECOVERIES, parseStorageRecovery) }),
  },
  "watchdog-events": { direction: "to-page", version: 1, parse: messageOf("watchdog-events", { events: arrayOf(MAX_WATCHDOG_EVENTS, parseWatchdogEvent) }) },
  "upstream-protocols": {
    direction: "to-page",
    version: 1,
    parse: messageOf("upstream-protocols", { upstreams: arrayOf(MAX_UPSTREAM_PROTOCOLS, parseUpstreamProtocol) }),
  },
  "server-contacts": { direction: "to-page", version: 1, parse: messageOf("server-contacts", { contacts: arrayOf(MAX_SERVER_CONTACTS, parseServerContact) }) },
};

/** Validates one of the host's reports: `undefined` for anything else. */
export function parseHostReport(raw: Untrusted): HostReportMessage | undefined {
  return parseWithTable(HOST_REPORTS, raw);
}
