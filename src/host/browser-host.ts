import { silentLogger, type Logger } from "../core/logger.js";
import { randomId } from "../platform/random-id.js";
import type { ToPageMessage } from "../protocol/messages.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "../storage/idb/database.js";
import { createCacheHost, type CacheHost, type WatchdogEventSource } from "./cache-host.js";
import { createFeedFactory } from "./feed-factory.js";
import { createReceiptHub } from "./receipt-hub.js";
import { createIdbReceiptOutbox, receiptOutboxServers } from "../storage/idb/receipt-outbox-store.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";
import { memoryTokenKeeper } from "./host-types.js";
import { idbClearStorage, idbSubscriptionRegistry } from "./idb-registry.js";
import { createDatabaseWatch, type DatabaseWatch } from "./database-watch.js";
import { createRecoveryLog, type RecoveryLog } from "./recovery-log.js";
import { browserResourceTiming, watchUpstreamProtocols, type ResourceTimingSource } from "./resource-timing-protocols.js";
import { createUpstreamProtocolLog } from "./upstream-protocol-log.js";
import { isPublicationApiPath } from "./service-path.js";
import { createServerContactLog } from "./server-contact-log.js";
import { loadServerContacts, saveServerContact } from "../storage/idb/server-contact-store.js";

/** Options shared by the service-worker host and the leader-tab host. */
export interface BrowserHostOptions {
  /** IndexedDB database name; default the shared `pubcache` database. Pages and host must agree. */
  readonly databaseName?: string;
  /** How long a publication nobody claims stays followed. Default 10 s. */
  readonly graceMs?: number;
  /** How long a tab's claims live without a heartbeat. Default 150 s (see `CacheHostOptions.leaseMs`). */
  readonly leaseMs?: number;
  readonly logger?: Logger;
  /**
   * Where storage recoveries are recorded; default a new log. The worker
   * passes the one its precache healing writes to, so pages hear of both.
   */
  readonly recoveries?: RecoveryLog;
  /** The worker's watchdog (tab-watchdog.ts), whose events pages hear of; none in a leader tab. */
  readonly watchdog?: WatchdogEventSource;
  /** How often the host looks for its database marker when no event said anything. Default 10 s. */
  readonly storageCheckMs?: number;
  /**
   * Where the servers' HTTP protocols are read from; default this runtime's
   * Resource Timing (`null`: not read). Tests pass a fake.
   */
  readonly resourceTiming?: ResourceTimingSource | null;
}

export interface BrowserHost {
  readonly host: CacheHost;
  readonly db: PubCacheDatabase;
  /** Closes every feed and the database handle. */
  close(): Promise<void>;
}

/**
 * Assembles a {@link CacheHost} from browser pieces that exist both in a
 * service worker and in a page: IndexedDB, fetch (through connect-web) and a
 * `broadcast` function the caller provides. Nothing here touches `self`, so
 * the worker and the leader tab share it.
 */
export function createBrowserHost(options: BrowserHostOptions & { broadcast: (message: ToPageMessage) => void }): BrowserHost {
  const logger = options.logger ?? silentLogger;
  let watch: DatabaseWatch | undefined;
  const db = openPubCacheDatabase({
    ...(options.databaseName && { name: options.databaseName }),
    logger,
    onConnectionLost: (reason) => watch?.connectionLost(reason),
  });
  const recoveries = options.recoveries ?? createRecoveryLog();
  // Tokens live in this object only: not in IndexedDB, not in Cache Storage, never logged.
  const tokens = memoryTokenKeeper();
  // Stored, so that a reload or a reboot during an outage says the same "Offline since".
  const contacts = createServerContactLog({
    clock: systemClock,
    store: { load: () => loadServerContacts(db), save: (contact) => saveServerContact(db, contact) },
    onError: (error) => logger.warn("storing a server contact failed", { error: String(error) }),
  });
  const feeds = createFeedFactory({ db, tokens, logger, contacts });
  const receipts = createReceiptHub({
    clientFor: (server) => feeds.clientFor(server),
    outboxFor: (server) => createIdbReceiptOutbox(db, server),
    storedServers: () => receiptOutboxServers(db),
    clock: systemClock,
    random: systemRandom,
    logger,
  });
  const upstreams = createUpstreamProtocolLog();
  const resourceTiming = options.resourceTiming === undefined ? browserResourceTiming() : options.resourceTiming;
  let stopProtocols: (() => void) | undefined;
  const host = createCacheHost({
    hostId: randomId(),
    broadcast: options.broadcast,
    createFeed: feeds,
    receipts,
    clearStorage: idbClearStorage(db),
    subscriptions: idbSubscriptionRegistry(db),
    tokens,
    logger,
    recoveries,
    upstreams,
    ...(options.watchdog && { watchdog: options.watchdog }),
    contacts,
    upstreamWatch: {
      start() {
        if (stopProtocols || !resourceTiming) return;
        stopProtocols = watchUpstreamProtocols({ source: resourceTiming, log: upstreams, isUpstream: (url) => isPublicationApiPath(url.pathname) });
      },
      close() {
        stopProtocols?.();
        stopProtocols = undefined;
      },
    },
    storageWatch: {
      start: () => watch?.start(),
      close: () => watch?.close(),
    },
    ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
    ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }),
  });
  // The database was cleared or deleted under us: the values every feed
  // holds, and the list of what to resume after a restart, go back in.
  watch = createDatabaseWatch({
    db,
    clock: systemClock,
    newMarkerId: randomId,
    logger,
    ...(options.storageCheckMs !== undefined && { checkEveryMs: options.storageCheckMs }),
    onLost: async ({ detectedAt }) => {
      const update = recoveries.begin({ storage: "database", detectedAt, restored: 0 });
      const [subscriptions, restored] = await Promise.all([
        host.persistSubscriptions(),
        host.storageLost(),
      ]);
      logger.info("wrote back what the lost database held", { values: restored, subscriptions });
      update({ restoredAt: systemClock.now(), restored });
    },
  });
  return {
    host,
    db,
    async close() {
      await host.close();
      db.close();
    },
  };
}
