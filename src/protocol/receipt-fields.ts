import type { WireReceipt } from "./messages.js";
import { absent, asNumber, asOneOf, asString, optional } from "./validate.js";

const MAX_VERSION = 256;
const MAX_REASON = 200;
const RECEIPTS = ["accepted", "rejected"] as const;

/**
 * The fields every acknowledgement carries — version, publish time, receipt
 * and reason — validated: a page's `acknowledge` to the host and each of the
 * host's `receipts` back carry the same ones.
 */
export function parseReceiptFields(
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
