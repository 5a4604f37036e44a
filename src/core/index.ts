/**
 * The platform-independent cache engine: no browser or timer global is used
 * here; time, randomness, logging, transport and storage come in as options.
 */
export {
  createPublicationCache,
  DEFAULT_POLL_INTERVAL_MS,
  type PublicationCache,
  type PublicationCacheOptions,
} from "./publication-cache.js";
export { applyJitter, createBackoff, DEFAULT_BACKOFF, type Backoff, type BackoffOptions, type Jitter } from "./backoff.js";
export type {
  CacheError,
  CacheSnapshot,
  CacheState,
  CacheStateKind,
  CachedValue,
  ValueSource,
} from "./cache-types.js";
export { sleep, type Clock, type SleepOutcome } from "./clock.js";
export { seededRandom, type RandomSource } from "./random.js";
export { silentLogger, type Logger } from "./logger.js";
