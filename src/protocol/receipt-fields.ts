import { nonEmptyStringOf, numberOf, oneOf, optionalOf, stringOf } from "./validate.js";

const MAX_VERSION = 256;
const MAX_REASON = 200;
const RECEIPTS = ["accepted", "rejected"] as const;

/**
 * The fields every acknowledgement carries — version, publish time, receipt
 * and reason — as readers (see `recordOf`): a page's `acknowledge` to the
 * host and each of the host's `receipts` back carry the same ones.
 */
export const RECEIPT_FIELDS = {
  version: nonEmptyStringOf(MAX_VERSION),
  publishTimeMs: optionalOf(numberOf(0)),
  receipt: oneOf(RECEIPTS),
  reason: optionalOf(stringOf(MAX_REASON)),
};
