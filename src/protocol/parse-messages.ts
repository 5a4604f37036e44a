import { HOST_REPORTS, parseHostReport } from "./host-reports.js";
import { isHostBound, type Direction, type MessageSpec } from "./message-spec.js";
import { isPageBound } from "./page-bound.js";
import type { AnyMessage, ToHostMessage, ToPageMessage } from "./messages.js";
import { parseToHostMessage, TO_HOST_MESSAGES } from "./to-host-messages.js";
import { parseToPageExceptReports, TO_PAGE_MESSAGES } from "./to-page-messages.js";
import type { Untrusted } from "./validate.js";

export type { Direction, MessageSpec } from "./message-spec.js";
export { parseToHostMessage } from "./to-host-messages.js";
export { parseWatchdogEvent } from "./host-reports.js";

type Table = { readonly [T in AnyMessage["type"]]: MessageSpec<Extract<AnyMessage, { type: T }>> };

/**
 * The worker ↔ page protocol, one row per message type (the types are in
 * `messages.ts`; each side's handlers are typed against this table, so a
 * new row does not compile until the side it goes to handles it).
 *
 * The rows live in one table per direction — `to-host-messages.ts` and
 * `to-page-messages.ts` — so that each side's bundle carries only the
 * validators of what it receives (a page never validates a heartbeat); the
 * host's reports, page-bound too, have theirs in `host-reports.ts`, which a
 * page loads when the first report arrives. Adding a message: its interface
 * in `messages.ts`, its type in its direction's list (`message-spec.ts`,
 * `page-bound.ts`; a report's in `message-spec.ts`'s), its row in its
 * table, its handler.
 */
export const MESSAGES: Table = { ...TO_HOST_MESSAGES, ...TO_PAGE_MESSAGES, ...HOST_REPORTS };

/** True when `raw` names a message type of this version that goes `direction` (well-formed or not): "not for me" rather than "malformed". */
export function isAddressed(raw: Untrusted, direction: Direction): boolean {
  return direction === "to-host" ? isHostBound(raw) : isPageBound(raw);
}

/**
 * Validates a message going `direction`. Returns `undefined` for anything
 * that is not a well-formed message of this protocol version going that way
 * — including messages going the other way, which share the channel.
 */
export function parseMessage(raw: Untrusted, direction: "to-host"): ToHostMessage | undefined;
export function parseMessage(raw: Untrusted, direction: "to-page"): ToPageMessage | undefined;
export function parseMessage(raw: Untrusted, direction: Direction): AnyMessage | undefined {
  return direction === "to-host" ? parseToHostMessage(raw) : parseToPageMessage(raw);
}

/** Validates a message meant for pages, the host's reports included (see {@link parseMessage}). */
export function parseToPageMessage(raw: Untrusted): ToPageMessage | undefined {
  return parseToPageExceptReports(raw) ?? parseHostReport(raw);
}
