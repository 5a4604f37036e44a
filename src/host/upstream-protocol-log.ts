import { MAX_UPSTREAM_PROTOCOLS, type UpstreamProtocol } from "../protocol/messages.js";

/**
 * The HTTP protocol of each server the host talks to, per origin, as the
 * requests it made finished (h2, http/1.1, or unknown): kept in memory for
 * diagnostics, at most {@link MAX_UPSTREAM_PROTOCOLS} origins (the oldest
 * news goes first). Platform-free: the browser side reads Resource Timing
 * and records here (resource-timing-protocols.ts).
 */
export interface UpstreamProtocolLog {
  /**
   * A request to `origin` finished at `at` (ms since the epoch) over
   * `protocol`; `""` when the browser did not say (a cross-origin server
   * without `Timing-Allow-Origin`). An unknown protocol never replaces a
   * known one: it tells nothing about the connection.
   */
  record(origin: string, protocol: string, at: number): void;
  /** One entry per origin, the longest known first. */
  entries(): readonly UpstreamProtocol[];
  /** Called when an origin is new or its protocol changed (not on every request); returns the function that stops listening. */
  onChange(listener: () => void): () => void;
}

/** Creates an empty {@link UpstreamProtocolLog}. */
export function createUpstreamProtocolLog(): UpstreamProtocolLog {
  // Insertion order is news order: an origin whose protocol changes moves to the end.
  const byOrigin = new Map<string, UpstreamProtocol>();
  const listeners = new Set<() => void>();
  return {
    record(origin, protocol, at) {
      const known = byOrigin.get(origin);
      if (known && (protocol === "" || protocol === known.protocol)) return;
      byOrigin.delete(origin);
      byOrigin.set(origin, { origin, since: at, ...(protocol !== "" && { protocol }) });
      if (byOrigin.size > MAX_UPSTREAM_PROTOCOLS) byOrigin.delete(byOrigin.keys().next().value!);
      for (const listener of [...listeners]) listener();
    },
    entries: () => [...byOrigin.values()],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
