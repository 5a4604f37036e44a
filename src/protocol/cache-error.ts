import { CACHE_ERROR_CODES } from "../core/cache-error-code.js";
import type { CacheError } from "../core/cache-types.js";
import { asNumber, asOneOf, asRecord, asString, type Untrusted } from "./validate.js";

// Its own module: snapshots and the host's receipts both carry errors, and a
// page loads the receipts' validators apart (host-reports.ts).

/** Validates a {@link CacheError} from untrusted data: a known code, bounded message. */
export function parseCacheError(raw: Untrusted): CacheError | undefined {
  const record = asRecord(raw);
  const code = asOneOf(record?.code, CACHE_ERROR_CODES);
  const message = asString(record?.message, 2048);
  const at = asNumber(record?.at, 0);
  if (code === undefined || message === undefined || at === undefined) return undefined;
  return { code, message, at };
}
