import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import { systemClock } from "../platform/system-clock.js";
import { envelope, type SubscriptionClaim, type ToHostMessage, type ToPageMessage, type WatchdogEvent } from "../protocol/messages.js";
import { isPageBound } from "../protocol/page-bound.js";
import { parseToHostMessage } from "../protocol/to-host-messages.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";
import { toWireStateChange } from "../protocol/to-wire-snapshot.js";
import { sameEncoding } from "../core/same-encoding.js";
import { ClaimBook } from "./claim-book.js";
import { ClientLeases } from "./client-leases.js";
import { CredentialIdentities } from "./credential-identity.js";
import { dispatchToHost, type HostParts } from "./host-handlers.js";
import { clearScope } from "./scope-clearing.js";
import { TokenGrace } from "./token-grace.js";
import { DeviceWatches } from "./device-watches.js";
import { FeedPool, type Followed } from "./feed-pool.js";
import { memoryTokenKeeper, type FeedFactory, type SubscriptionRegistry, type TokenKeeper } from "./host-types.js";
import type { ReceiptHub } from "./receipt-hub.js";
import type { RecoveryLog } from "./recovery-log.js";
import type { UpstreamProtocolLog } from "./upstream-protocol-log.js";
import type { ServerContactLog } from "./server-contact-log.js";
import { toWireReceipt } from "./wire-receipt.js";

export interface CacheHostOptions {
  /** Sends a message to every page of the origin (a BroadcastChannel in practice). */
  broadcast(message: ToPageMessage): void;
  /** Builds the feed of one server × device × partition; the host runs at most one per scope. */
  createFeed: FeedFactory;
  /** Wipes the stored values of a scope (the `clear` message). */
  clearStorage(scope: RefScope): Promise<void>;
  /** Persisted claims; without it a restarted host waits for the pages' heartbeats. */
  subscriptions?: SubscriptionRegistry;
  tokens?: TokenKeeper;
  clock?: Clock;
  logger?: Logger;
  /** How long a publication nobody claims stays followed, so a reload does not restart the stream. Default 10 s. */
  graceMs?: number;
  /**
   * How long a tab's claims live without a heartbeat or other message.
   * Default 150 s: Chrome runs timers of a tab hidden for 5 min once a
   * minute, so a background tab's 5 s heartbeat may come only every 60 s;
   * a shorter lease would stop and restart its streams every minute.
   * Closed tabs say goodbye (pagehide), so the long lease only costs
   * something when a tab crashes.
   */
  leaseMs?: number;
  /** Identifies this host instance in `host-ready`. */
  hostId: string;
  /** Sends the screens' acknowledgements; without it `acknowledge` messages are dropped (logged). */
  receipts?: ReceiptHub;
  /** Storage lost while running and what was written back: sent to pages on every change and to each new tab. */
  recoveries?: RecoveryLog;
  /** The HTTP protocol of each server, as the host's requests finish: sent to pages on every change and to each new tab. */
  upstreams?: UpstreamProtocolLog;
  /** What the worker's watchdog did about hung tabs (tab-watchdog.ts): sent to pages on every change and to each new tab. */
  watchdog?: WatchdogEventSource;
  /** When each server last answered, and whether it was lost since: sent to pages on every change and to each new tab; restored by `resume()`. */
  contacts?: ServerContactLog;
  /** Reads the servers' protocols into `upstreams` while the host hosts: started by `resume()`, closed by `close()`. */
  upstreamWatch?: { start(): void; close(): void };
  /** Looks out for lost storage while the host hosts: started by `resume()`, closed by `close()`. */
  storageWatch?: { start(): void; close(): void };
}

/** What the host reports of the watchdog: its events and when they change. */
export interface WatchdogEventSource {
  events(): readonly WatchdogEvent[];
  onChange(listener: () => void): () => void;
}

export interface CacheHostStats {
  /** Messages dropped because they did not validate. */
  readonly dropped: number;
  /** Publications followed now (one per claimed ref, on one feed per server × device × partition). */
  readonly engines: number;
}

/**
 * The cache host: one feed per server × device × partition for every
 * publication any tab claims there, shared by all of them. It is written against injected pieces only (no `self`, no
 * BroadcastChannel, no timers of its own), so the service worker and the
 * leader tab run the very same code.
 */
export interface CacheHost {
  /**
   * Validates and handles one message from a page. Returns the message when it
   * was accepted; `undefined` when it was dropped (malformed, counted) or was
   * a page-bound message seen on a shared channel (ignored, not counted).
   */
  receive(raw: unknown): ToHostMessage | undefined;
  /** Follows every persisted claim; resolves to how many were resumed. */
  resume(): Promise<number>;
  /** Tells pages this host is new, so they send a heartbeat at once. */
  announce(): void;
  /** Ends every feed's backoff wait (the network is back). */
  wake(): void;
  /**
   * Writes every followed ref to the subscription registry
   * again (the stored list was lost with the database); resolves to how many
   * were written.
   */
  persistSubscriptions(): Promise<number>;
  /**
   * Storage lost what it held: every feed writes the values it holds back.
   * Resolves to how many were written.
   */
  storageLost(): Promise<number>;
  /** Resolves once nothing is followed (the service worker's `waitUntil` holds on it). */
  whenIdle(): Promise<void>;
  readonly stats: CacheHostStats;
  /** Closes every feed; the host is unusable afterwards. Persisted claims stay. */
  close(): Promise<void>;
}

export { TOKEN_GRACE_MS } from "./token-grace.js";

/** See {@link CacheHostOptions.leaseMs}. */
export const DEFAULT_LEASE_MS = 150_000;

/**
 * Creates a {@link CacheHost}: a dispatcher of page messages
 * (`host-handlers.ts`, one handler per row of the protocol table) over the
 * pieces it holds — the claim book, the feed pool, tabs' leases, the token
 * grace, scope clearing, device watches and receipts.
 */
export function createCacheHost(options: CacheHostOptions): CacheHost {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const tokens = options.tokens ?? memoryTokenKeeper();
  const graceMs = options.graceMs ?? 10_000;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const book = new ClaimBook();
  const grace = new TokenGrace(clock, tokens);
  const feeds = new FeedPool(options.createFeed, (running, previous, snapshot) => {
    if (snapshot.state.kind === "needs-auth") {
      // Ask once per entry into needs-auth, not on every snapshot while in it.
      if (previous?.state.kind !== "needs-auth") send(envelope({ type: "token-request", server: running.ref.server }));
      const stillThere = () => feeds.get(running.ref) === running && running.last?.state.kind === "needs-auth";
      if (grace.holdBack(running.ref, () => stillThere() && publish(running))) return;
    }
    // The server is back for this publication: acknowledgements waiting for it go now, not at their next retry.
    const reached = snapshot.state.kind === "live" || snapshot.state.kind === "polling";
    if (reached && previous?.state.kind !== snapshot.state.kind) options.receipts?.wake();
    publish(running);
  }, logger);
  let dropped = 0;
  let closed = false;
  const deviceWatches = new DeviceWatches(
    (scope, tuning, listener) => feeds.watchDevice(scope, tuning, listener),
    (scope, publications) => send(envelope({ type: "device", scope, publications })),
    clock,
  );
  const sendReceipts = (server: string) => {
    const refusal = options.receipts?.refusal(server);
    const receipts = (options.receipts?.entries(server) ?? []).map(toWireReceipt);
    send(envelope({ type: "receipts", server, receipts, ...(refusal && { refusedSince: refusal.since }) }));
  };
  options.receipts?.onChange(sendReceipts);
  const sendRecoveries = () => {
    const recoveries = options.recoveries?.entries() ?? [];
    if (recoveries.length > 0) send(envelope({ type: "storage-recoveries", recoveries: [...recoveries] }));
  };
  const stopRecoveries = options.recoveries?.onChange(sendRecoveries);
  const sendUpstreams = () => {
    const upstreams = options.upstreams?.entries() ?? [];
    if (upstreams.length > 0) send(envelope({ type: "upstream-protocols", upstreams: [...upstreams] }));
  };
  const stopUpstreams = options.upstreams?.onChange(sendUpstreams);
  const sendWatchdogEvents = () => {
    const events = options.watchdog?.events() ?? [];
    if (events.length > 0) send(envelope({ type: "watchdog-events", events: [...events] }));
  };
  const stopWatchdogEvents = options.watchdog?.onChange(sendWatchdogEvents);
  const sendContacts = () => {
    const contacts = options.contacts?.entries() ?? [];
    if (contacts.length > 0) send(envelope({ type: "server-contacts", contacts: [...contacts] }));
  };
  const stopContacts = options.contacts?.onChange(sendContacts);
  const leases = new ClientLeases(clock, leaseMs, (clientId) => {
    logger.info("client lease expired", { clientId });
    for (const ref of book.releaseClient(clientId)) scheduleStop(ref, graceMs);
    deviceWatches.releaseClient(clientId);
  });

  const send = (message: ToPageMessage) => {
    try {
      options.broadcast(message);
    } catch (error) {
      logger.warn("broadcast failed", { error: String(error) });
    }
  };
  const persist = (what: string, work: Promise<unknown> | undefined) =>
    void work?.catch((error: unknown) => logger.warn(`subscription ${what} failed`, { error: String(error) }));

  /** Follows (or keeps following) a claimed ref and cancels any pending release. */
  function ensureFollowed(claim: SubscriptionClaim): Followed {
    const { followed } = feeds.follow(claim.ref, claim.tuning, false);
    followed.cancelStop?.();
    followed.cancelStop = undefined;
    return followed;
  }

  function scheduleStop(ref: PublicationRef, afterMs: number) {
    const running = feeds.get(ref);
    if (!running || running.cancelStop) return;
    running.cancelStop = clock.setTimer(afterMs, () => {
      running.cancelStop = undefined;
      if (book.holders(ref) > 0) return;
      feeds.release(running);
      persist("removal", options.subscriptions?.remove(ref));
    });
  }

  /**
   * Tells pages the latest snapshot of a ref: in full when its value changed
   * since the last full one (a new version or new bytes) or it has none;
   * otherwise as a state change without the bytes, which every tab already holds.
   */
  function publish(running: Followed, full = false) {
    const last = running.last;
    if (!last) return;
    const bytes = last.value?.publication;
    if (!full && bytes && running.sentValue && sameEncoding(bytes, running.sentValue)) {
      send(envelope({ type: "state", ref: running.ref, change: toWireStateChange(last, running.version) }));
      return;
    }
    running.sentValue = bytes;
    send(envelope({ type: "snapshot", ref: running.ref, snapshot: last }));
  }

  const parts: HostParts = {
    book,
    feeds,
    deviceWatches,
    tokens,
    identities: new CredentialIdentities(),
    receipts: options.receipts,
    logger,
    graceMs,
    touchLease(clientId) {
      // A tab new to this host has not heard of earlier recoveries, the servers' protocols and contacts, the watchdog, nor where receipts stand.
      if (leases.touch(clientId)) {
        sendRecoveries();
        sendUpstreams();
        sendWatchdogEvents();
        sendContacts();
        for (const server of options.receipts?.servers() ?? []) {
          if (options.receipts?.refusal(server) || (options.receipts?.entries(server).length ?? 0) > 0) sendReceipts(server);
        }
      }
    },
    endLease: (clientId) => leases.end(clientId),
    claim(claimed, firstHolder) {
      const before = feeds.get(claimed.ref);
      const running = ensureFollowed(claimed);
      if (firstHolder) persist("write", options.subscriptions?.put(claimed.ref));
      // A newly followed ref's first snapshot is broadcast when the feed reports it;
      // a tab that joins one already followed gets what the feed knows, its value once, in full.
      if (before === running && running.last) {
        publish(running, true);
        if (running.last.state.kind === "needs-auth") send(envelope({ type: "token-request", server: running.ref.server }));
      }
    },
    ensureFollowed,
    scheduleStop,
    clear(requestId, scope) {
      const clearing = {
        feeds,
        book,
        subscriptions: options.subscriptions,
        clearStorage: (cleared: RefScope) => options.clearStorage(cleared),
        logger,
        persist: (ref: PublicationRef) => persist("write", options.subscriptions?.put(ref)),
      };
      void clearScope(clearing, scope).then((done) => done && send(envelope({ type: "cleared", requestId })));
    },
  };

  return {
    receive(raw) {
      if (closed) return undefined;
      const message = parseToHostMessage(raw);
      if (!message) {
        if (!isPageBound(raw)) {
          dropped += 1;
          logger.warn("dropped a malformed message", { dropped });
        }
        return undefined;
      }
      dispatchToHost(message, parts);
      return message;
    },

    async resume() {
      if (!closed) {
        options.storageWatch?.start();
        options.upstreamWatch?.start();
      }
      void options.contacts?.restore().catch((error: unknown) => logger.warn("restoring server contacts failed", { error: String(error) }));
      void options.receipts?.resume().catch((error: unknown) => logger.warn("resuming acknowledgements failed", { error: String(error) }));
      const refs = (await options.subscriptions?.list()) ?? [];
      let resumed = 0;
      for (const ref of refs) {
        if (closed || feeds.get(ref)) continue;
        feeds.follow(ref, undefined, true);
        // Nobody has claimed it yet: if no tab does within a lease, it stops.
        if (book.holders(ref) === 0) scheduleStop(ref, leaseMs);
        resumed += 1;
      }
      return resumed;
    },

    announce() {
      send(envelope({ type: "host-ready", hostId: options.hostId }));
      for (const server of options.receipts?.servers() ?? []) sendReceipts(server);
    },

    wake() {
      feeds.wake();
      options.receipts?.wake();
    },

    async persistSubscriptions() {
      const registry = options.subscriptions;
      if (!registry) return 0;
      const written = await Promise.all(
        feeds.all().map((running) =>
          registry.put(running.ref).then(
            () => true,
            (error: unknown) => {
              logger.warn("subscription write failed", { error: String(error) });
              return false;
            },
          ),
        ),
      );
      return written.filter(Boolean).length;
    },

    storageLost: () => feeds.storageLost(),

    whenIdle: () => feeds.whenIdle(),

    get stats() {
      return { dropped, engines: feeds.size };
    },

    async close() {
      closed = true;
      leases.close();
      grace.close();
      deviceWatches.close();
      options.storageWatch?.close();
      options.upstreamWatch?.close();
      stopRecoveries?.();
      stopUpstreams?.();
      stopWatchdogEvents?.();
      stopContacts?.();
      options.receipts?.close();
      feeds.closeAll();
    },
  };
}
