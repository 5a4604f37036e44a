import type { UpstreamProtocolLog } from "./upstream-protocol-log.js";

/** The fields of a `PerformanceResourceTiming` read here. */
export interface ResourceEntry {
  /** The request's URL. */
  readonly name: string;
  /** The ALPN id of the connection (`h2`, `http/1.1`); `""` when the browser does not say. */
  readonly nextHopProtocol: string;
  /** When the response ended, ms after `timeOrigin` (late for a stream: when it closed). */
  readonly responseEnd: number;
}

/**
 * Resource Timing as the host uses it; {@link browserResourceTiming} reads the
 * browser's (in the service worker or the leader tab), tests pass a fake.
 */
export interface ResourceTimingSource {
  /** `performance.timeOrigin`: what entry times are relative to. */
  readonly timeOrigin: number;
  /** Calls `onEntries` with the resource entries already buffered, then with each new batch; returns the function that stops. */
  observe(onEntries: (entries: readonly ResourceEntry[]) => void): () => void;
  /** Calls `onFull` when the resource timing buffer is full; returns the function that stops. */
  onBufferFull(onFull: () => void): () => void;
  /** `performance.clearResourceTimings()`. */
  clear(): void;
}

/** The globals {@link browserResourceTiming} reads: a window's or a worker's. */
export interface ResourceTimingGlobals {
  readonly performance?: Pick<Performance, "timeOrigin" | "clearResourceTimings" | "addEventListener" | "removeEventListener">;
  readonly PerformanceObserver?: Pick<typeof PerformanceObserver, "supportedEntryTypes"> &
    (new (callback: (list: { getEntries(): readonly unknown[] }) => void) => Pick<PerformanceObserver, "observe" | "disconnect">);
}

/** This runtime's Resource Timing, or `undefined` where there is none (old engines, Node). */
export function browserResourceTiming(scope: ResourceTimingGlobals = globalThis): ResourceTimingSource | undefined {
  const { performance, PerformanceObserver: Observer } = scope;
  if (!performance || !Observer?.supportedEntryTypes?.includes("resource")) return undefined;
  return {
    timeOrigin: performance.timeOrigin,
    observe(onEntries) {
      const observer = new Observer((list) => onEntries(list.getEntries() as readonly ResourceEntry[]));
      observer.observe({ type: "resource", buffered: true });
      return () => observer.disconnect();
    },
    onBufferFull(onFull) {
      performance.addEventListener("resourcetimingbufferfull", onFull);
      return () => performance.removeEventListener("resourcetimingbufferfull", onFull);
    },
    clear: () => performance.clearResourceTimings(),
  };
}

/**
 * Records in `log` the protocol (`nextHopProtocol`) of every request of the
 * host's that finishes, per server origin: unary calls (ListPublications,
 * GetPublication, acknowledgements) as soon as they answer, streams when
 * they close. `isUpstream` picks the host's requests out of everything else
 * the runtime fetched (a leader tab's scripts, a worker's precaching).
 * A cross-origin server's protocol is known only if it sends
 * `Timing-Allow-Origin`; otherwise it is recorded as unknown.
 *
 * The observer gets every entry whether or not the buffer has room, but the
 * buffer (250 entries by default) would fill within hours of polling: when
 * the browser says it is full, it is cleared, as Resource Timing intends
 * (the entries waiting for room then go in). In a leader tab that also
 * clears the page's own entries, at the moment they would start being lost
 * anyway.
 *
 * Returns the function that stops watching.
 */
export function watchUpstreamProtocols(options: {
  readonly source: ResourceTimingSource;
  readonly log: UpstreamProtocolLog;
  readonly isUpstream: (url: URL) => boolean;
}): () => void {
  const { source, log, isUpstream } = options;
  const stopObserving = source.observe((entries) => {
    for (const entry of entries) {
      let url: URL;
      try {
        url = new URL(entry.name);
      } catch {
        continue;
      }
      if (!isUpstream(url)) continue;
      log.record(url.origin, entry.nextHopProtocol, source.timeOrigin + entry.responseEnd);
    }
  });
  const stopClearing = source.onBufferFull(() => source.clear());
  return () => {
    stopObserving();
    stopClearing();
  };
}
