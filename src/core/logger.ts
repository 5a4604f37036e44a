/**
 * Structured logging seam. Fields must never carry credentials: callers pass
 * ids, codes and durations, not headers or tokens.
 */
export interface Logger {
  /** Detail for tracing what the cache does; usually discarded in production. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Something worth a line in a kiosk's log. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something failed and is being retried or worked around: the cache carries on. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Something failed that the cache cannot work around by itself. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Discards everything; the default when no logger is given. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
