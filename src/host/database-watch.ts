import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import type { ConnectionLossReason, PubCacheDatabase } from "../storage/idb/database.js";
import { plantMarker, readMarker, type DatabaseMarker } from "../storage/idb/database-marker.js";

/** How the host noticed that its database was gone. */
export interface DatabaseLoss {
  /** When it was noticed (ms since the epoch). */
  readonly detectedAt: number;
  /**
   * What made the host look: a connection `closed` by the browser (site data
   * cleared), the database `deleted` by another connection, an upgrade
   * elsewhere (`versionchange`), or the periodic `check` (eviction that
   * sends no event).
   */
  readonly noticedBy: ConnectionLossReason | "check";
}

export interface DatabaseWatchOptions {
  readonly db: PubCacheDatabase;
  readonly clock: Clock;
  /** A new random id for each marker planted. */
  readonly newMarkerId: () => string;
  /** How often the marker is looked for when no event said anything. Default 10 s. */
  readonly checkEveryMs?: number;
  /**
   * How long after a lost connection the host looks. Chromium fires `close`
   * before it deletes the database, and an open at that moment fails. Default 250 ms.
   */
  readonly afterLossMs?: number;
  readonly logger?: Logger;
  /** The database the host wrote into is gone (an empty one stands in its place): write back what is held. */
  readonly onLost: (loss: DatabaseLoss) => Promise<void>;
}

/**
 * Notices that the IndexedDB database the host writes into was cleared,
 * evicted or deleted while it runs. The host plants a marker record when it
 * starts and looks for it after every lost connection (soon) and every
 * `checkEveryMs` (one read-only transaction over one record); a missing or
 * different marker means the database was recreated. It then plants a new
 * marker and calls `onLost` once per loss.
 */
export interface DatabaseWatch {
  /** Plants the marker (or adopts the one there) and starts looking. Idempotent. */
  start(): void;
  /** The database handle lost its connection: look soon. */
  connectionLost(reason: ConnectionLossReason): void;
  /** Looks now (after a running look, if any); resolves to whether a loss was found. Rejects when the database cannot be read. */
  check(): Promise<boolean>;
  /** Stops looking; no timer remains. */
  close(): void;
}

/** Creates a {@link DatabaseWatch}; nothing happens before `start()`. */
export function createDatabaseWatch(options: DatabaseWatchOptions): DatabaseWatch {
  const { db, clock } = options;
  const logger = options.logger ?? silentLogger;
  const checkEveryMs = options.checkEveryMs ?? 10_000;
  const afterLossMs = options.afterLossMs ?? 250;
  let known: string | undefined;
  let noticedBy: ConnectionLossReason | undefined;
  let started = false;
  let closed = false;
  let failures = 0;
  let cancelTimer: (() => void) | undefined;
  let running: Promise<boolean> | undefined;

  const fresh = (): DatabaseMarker => ({ id: options.newMarkerId(), plantedAt: clock.now() });

  async function look(): Promise<boolean> {
    const found = await readMarker(db);
    if (known === undefined) {
      known = (found ?? (await plantMarker(db, fresh()))).id;
      return false;
    }
    if (found?.id === known) {
      noticedBy = undefined;
      return false;
    }
    const loss: DatabaseLoss = { detectedAt: clock.now(), noticedBy: noticedBy ?? "check" };
    noticedBy = undefined;
    logger.warn("IndexedDB lost what this host wrote (cleared, evicted or deleted): writing back what it holds", {
      database: db.name,
      noticedBy: loss.noticedBy,
    });
    // Another host may have planted one after the same loss: adopting it keeps us from "finding" it again.
    known = (found ?? (await plantMarker(db, fresh()))).id;
    try {
      await options.onLost(loss);
    } catch (error) {
      logger.error("writing back after a storage loss failed", { error: String(error) });
    }
    return true;
  }

  function schedule(ms: number) {
    cancelTimer?.();
    cancelTimer = closed ? undefined : clock.setTimer(ms, () => void tick());
  }

  async function tick() {
    cancelTimer = undefined;
    try {
      await watch.check();
      failures = 0;
      schedule(checkEveryMs);
    } catch (error) {
      // Right after a loss the open can fail for a moment: look again soon, then less often.
      failures++;
      logger.warn("IndexedDB marker check failed", { error: String(error), failures });
      schedule(Math.min(checkEveryMs, 500 * 2 ** failures));
    }
  }

  const watch: DatabaseWatch = {
    start() {
      if (started || closed) return;
      started = true;
      schedule(0);
    },
    connectionLost(reason) {
      if (!started || closed) return;
      if (noticedBy === undefined || noticedBy === "versionchange") noticedBy = reason;
      schedule(afterLossMs);
    },
    check() {
      const previous = running ?? Promise.resolve(false);
      const next = previous
        .catch(() => false)
        .then(() => (closed ? false : look()));
      running = next;
      void next.finally(() => {
        if (running === next) running = undefined;
      }).catch(() => undefined);
      return next;
    },
    close() {
      closed = true;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
  return watch;
}
