import type { OutboxEntry } from "../core/receipts/receipt-outbox.js";
import type { WireReceipt } from "../protocol/messages.js";

/** An outbox entry as pages see it: its documented fields only (no key, nothing else an entry may carry). */
export function toWireReceipt(entry: OutboxEntry): WireReceipt {
  return {
    device: entry.device,
    id: entry.id,
    version: entry.version,
    ...(entry.publishTimeMs !== undefined && { publishTimeMs: entry.publishTimeMs }),
    receipt: entry.receipt,
    ...(entry.reason !== undefined && { reason: entry.reason.slice(0, 200) }),
    status: entry.status,
    updatedAt: entry.updatedAt,
    ...(entry.lastError && { lastError: { code: entry.lastError.code, message: entry.lastError.message.slice(0, 2048), at: entry.lastError.at } }),
  };
}
