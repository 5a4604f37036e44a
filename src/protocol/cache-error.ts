import { CACHE_ERROR_CODES } from "../core/cache-error-code.js";
import type { CacheError } from "../core/cache-types.js";
import { numberOf, oneOf, recordOf, stringOf, type Reader } from "./validate.js";

// Its own module: snapshots and the host's receipts both carry errors, and a
// page loads the receipts' validators apart (host-reports.ts).

/** Validates a {@link CacheError} from untrusted data: a known code, bounded message. */
export const parseCacheError: Reader<CacheError> = recordOf({ code: oneOf(CACHE_ERROR_CODES), message: stringOf(2048), at: numberOf(0) });
