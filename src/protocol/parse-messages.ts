import type { Direction, MessageSpec } from "./message-spec.js";
import type { AnyMessage, ToHostMessage, ToPageMessage } from "./messages.js";
import { parseToHostMessage, TO_HOST_MESSAGES } from "./to-host-messages.js";
import { parseToPageMessage, TO_PAGE_MESSAGES } from "./to-page-messages.js";
import type { Untrusted } from "./validate.js";

export type { Direction, MessageSpec } from "./message-spec.js";
export { isAddressed } from "./message-spec.js";
export { parseToHostMessage } from "./to-host-messages.js";
export { parseToPageMessage, parseWatchdogEvent } from "./to-page-messages.js";

type Table = { readonly [T in AnyMessage["type"]]: MessageSpec<Extract<AnyMessage, { type: T }>> };

/**
 * The worker ↔ page protocol, one row per message type (the types are in
 * `messages.ts`; each side's handlers are typed against this table, so a
 * new row does not compile until the side it goes to handles it).
 *
 * The rows live in one table per direction — `to-host-messages.ts` and
 * `to-page-messages.ts` — so that each side's bundle carries only the
 * validators of what it receives (a page never validates a heartbeat).
 * Adding a message: its interface in `messages.ts`, its direction in
 * `message-spec.ts`, its row in its direction's table, its handler.
 */
export const MESSAGES: Table = { ...TO_HOST_MESSAGES, ...TO_PAGE_MESSAGES };

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
