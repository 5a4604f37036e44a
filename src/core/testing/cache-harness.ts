import type { CacheSnapshot, CachedValue } from "../cache-types.js";
import type { Logger } from "../logger.js";
import { createPublicationCache, type PublicationCache, type PublicationCacheOptions } from "../publication-cache.js";
import { seededRandom } from "../random.js";
import { FakeClock, settle } from "./fake-clock.js";
import { FakePublicationServer } from "./fake-publication-server.js";

export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** A Logger that keeps every entry, so tests can assert what was reported. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: "debug", message, fields });
  }
  info(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: "info", message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: "warn", message, fields });
  }
  error(message: string, fields?: Record<string, unknown>) {
    this.entries.push({ level: "error", message, fields });
  }
  at(level: LogEntry["level"]): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}

export const DEVICE = "dev";
export const ID = "p1";

/**
 * A cache wired to a fake server and a fake clock, with jitter off and a
 * 10 s / 80 s backoff and 60 s poll interval so schedules are easy to read.
 * Options override any of that.
 */
export function cacheHarness(options: Partial<PublicationCacheOptions> = {}) {
  const clock = new FakeClock();
  const server = new FakePublicationServer(DEVICE, () => clock.now());
  const logger = new RecordingLogger();
  const cache = createPublicationCache({
    client: server.client,
    device: DEVICE,
    id: ID,
    clock,
    logger,
    random: seededRandom(7),
    backoff: { minMs: 10_000, maxMs: 80_000, jitter: "none", refusedMs: 80_000 },
    pollIntervalMs: 60_000,
    ...options,
  });
  const start0 = clock.now();
  return {
    clock,
    server,
    logger,
    cache,
    start0,
    /** Times (relative to the start) of the calls of one method. */
    callTimes: (method: "pull" | "get") => server.calls.filter((c) => c.method === method).map((c) => c.at - start0),
  };
}

/** Records what a cache delivers to one subscriber and one watcher. */
export function record(cache: PublicationCache) {
  const values: CachedValue[] = [];
  const snapshots: CacheSnapshot[] = [];
  const unsubscribe = cache.subscribe((value) => values.push(value));
  const unwatch = cache.watch((snapshot) => snapshots.push(snapshot));
  return {
    values,
    snapshots,
    /** The versions delivered to the subscriber, in order. */
    versions: () => values.map((value) => value.publication.version),
    /** The state kinds the watcher saw, without repeats. */
    states: () =>
      snapshots.map((s) => s.state.kind).filter((kind, i, all) => i === 0 || all[i - 1] !== kind),
    stop() {
      unsubscribe();
      unwatch();
    },
  };
}

export { settle };
