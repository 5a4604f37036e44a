import { absent, asNumber, asRecord, optional, type Untrusted } from "./validate.js";

/**
 * Feed timing a page may ask for: a screen's poll interval, and for tests
 * and demos short backoff; production pages may leave it out and get the
 * defaults (60 s polling, 10 s → 30 s backoff). It
 * applies to the feed (one per server × device × partition) the claim
 * creates; a feed already running with other timing keeps it and the host
 * logs the refusal — never a second stream for the same device.
 */
export interface EngineTuning {
  readonly backoffMinMs?: number;
  readonly backoffMaxMs?: number;
  readonly pollIntervalMs?: number;
}

// Bounds keep a hostile or buggy page from turning the worker into a busy loop.
const MIN_MS = 50;
const MAX_MS = 24 * 60 * 60 * 1000;

/** Validates tuning from untrusted data; every field is optional. */
export function parseEngineTuning(value: Untrusted): EngineTuning | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const read = (v: Untrusted) => asNumber(v, MIN_MS, MAX_MS);
  const backoffMinMs = optional(record.backoffMinMs, read);
  const backoffMaxMs = optional(record.backoffMaxMs, read);
  const pollIntervalMs = optional(record.pollIntervalMs, read);
  if (backoffMinMs === undefined || backoffMaxMs === undefined || pollIntervalMs === undefined) return undefined;
  return {
    ...(backoffMinMs !== absent && { backoffMinMs }),
    ...(backoffMaxMs !== absent && { backoffMaxMs }),
    ...(pollIntervalMs !== absent && { pollIntervalMs }),
  };
}
