import { MAX_ID, messageOf, parseWithTable, type MessageTable } from "./message-spec.js";
import type { HostReportMessage, ToPageMessage } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { arrayOf, bytesOf, nonEmptyStringOf, type Untrusted } from "./validate.js";
import { parseWireSnapshot, parseWireStateChange } from "./wire-snapshot.js";

const MAX_DEVICE_PUBLICATIONS = 100_000;
/** A publication without its body: id, version, times, media type and audience. */
const MAX_METADATA_BYTES = 16 * 1024;

/** A page-bound message that is not one of the host's reports. */
export type PageMessageButReport = Exclude<ToPageMessage, HostReportMessage>;

/**
 * The protocol's host → page rows but the host's reports (those are in
 * `host-reports.ts`; `parse-messages.ts` has the whole table). Pages
 * validate these as they arrive; the host-bound validators are not in a
 * page's bundle at all.
 */
export const TO_PAGE_MESSAGES: MessageTable<PageMessageButReport> = {
  "snapshot": { direction: "to-page", version: 1, parse: messageOf("snapshot", { ref: parsePublicationRef, snapshot: parseWireSnapshot }) },
  "state": { direction: "to-page", version: 1, parse: messageOf("state", { ref: parsePublicationRef, change: parseWireStateChange }) },
  "token-request": { direction: "to-page", version: 1, parse: messageOf("token-request", { server: asServerUrl }) },
  "cleared": { direction: "to-page", version: 1, parse: messageOf("cleared", { requestId: nonEmptyStringOf(MAX_ID) }) },
  "host-ready": { direction: "to-page", version: 1, parse: messageOf("host-ready", { hostId: nonEmptyStringOf(MAX_ID) }) },
  "device": {
    direction: "to-page",
    version: 1,
    parse: messageOf("device", { scope: parseScope, publications: arrayOf(MAX_DEVICE_PUBLICATIONS, bytesOf(MAX_METADATA_BYTES)) }),
  },
};

/** Validates a message meant for pages other than the host's reports: `undefined` for anything else, reports and host-bound messages included. */
export function parseToPageExceptReports(raw: Untrusted): PageMessageButReport | undefined {
  return parseWithTable(TO_PAGE_MESSAGES, raw);
}
