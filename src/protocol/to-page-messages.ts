import { MAX_ID, parseWithTable, type MessageTable } from "./message-spec.js";
import { PROTOCOL_VERSION, type HostReportMessage, type ToPageMessage } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { asArrayOf, asBytes, asString, type Untrusted } from "./validate.js";
import { parseWireSnapshot, parseWireStateChange } from "./wire-snapshot.js";

const MAX_DEVICE_PUBLICATIONS = 100_000;
/** A publication without its body: id, version, times, media type and audience. */
const MAX_METADATA_BYTES = 16 * 1024;

const v = PROTOCOL_VERSION;

/** A page-bound message that is not one of the host's reports. */
export type PageMessageButReport = Exclude<ToPageMessage, HostReportMessage>;

/**
 * The protocol's host → page rows but the host's reports (those are in
 * `host-reports.ts`; `parse-messages.ts` has the whole table). Pages
 * validate these as they arrive; the host-bound validators are not in a
 * page's bundle at all.
 */
export const TO_PAGE_MESSAGES: MessageTable<PageMessageButReport> = {
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
};

/** Validates a message meant for pages other than the host's reports: `undefined` for anything else, reports and host-bound messages included. */
export function parseToPageExceptReports(raw: Untrusted): PageMessageButReport | undefined {
  return parseWithTable(TO_PAGE_MESSAGES, raw);
}
