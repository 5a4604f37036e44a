import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import { systemClock } from "../platform/system-clock.js";
import { envelope, type SubscriptionClaim, type ToHostMessage, type ToPageMessage } from "../protocol/messages.js";
import { parseToHostMessage, TO_PAGE_TYPES } from "../protocol/parse-messages.js";
import { inScope, refKey, type PublicationRef, type RefScope } from "../protocol/publication-ref.js";
import { toWireStateChange } from "../protocol/wire-snapshot.js";
import { sameEncoding } from "../core/same-encoding.js";
import { ClaimBook } from "./claim-book.js";
import { DeviceWatches } from "./device-watches.js";
import { FeedPool, type Followed } from "./feed-pool.js";
import { memoryTokenKeeper, type FeedFactory, type SubscriptionRegistry, type TokenKeeper } from "./host-types.js";
import type { ReceiptHub } from "./receipt-hub.js";
import type { RecoveryLog } from "./recovery-log.js";
import type { UpstreamProtocolLog } from "./upstream-protocol-log.js";
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
  /** Reads the servers' protocols into `upstreams` while the host hosts: started by `resume()`, closed by `close()`. */
  upstreamWatch?: { start(): void; close(): void };
  /** Looks out for lost storage while the host hosts: started by `resume()`, closed by `close()`. */
  storageWatch?: { start(): void; close(): void };
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

/** How long a new host keeps quiet about refused credentials while no page has handed it a token yet. */
export const TOKEN_GRACE_MS = 3_000;

/** See {@link CacheHostOptions.leaseMs}. */
export const DEFAULT_LEASE_MS = 150_000;

/** Creates a {@link CacheHost}. */
export function createCacheHost(options: CacheHostOptions): CacheHost {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const tokens = options.tokens ?? memoryTokenKeeper();
  const graceMs = options.graceMs ?? 10_000;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const book = new ClaimBook();
  const startedAt = clock.now();
  const heldBack = new Map<string, () => void>();
  const feeds = new FeedPool(options.createFeed, (running, previous, snapshot) => {
    const server = running.ref.server;
    if (snapshot.state.kind === "needs-auth") {
      // Ask once per entry into needs-auth, not on every snapshot while in it.
      if (previous?.state.kind !== "needs-auth") send(envelope({ type: "token-request", server }));
      // A host that just started (a worker the browser restarted) has no token
      // yet: its first calls are refused before any page could hand one over.
      // Pages answer within moments; showing "sign-in needed" meanwhile would flash.
      const graceLeft = startedAt + TOKEN_GRACE_MS - clock.now();
      if (tokens.get(server) === undefined && graceLeft > 0) {
        const key = refKey(running.ref);
        heldBack.get(key)?.();
        heldBack.set(
          key,
          clock.setTimer(graceLeft, () => {
            heldBack.delete(key);
            if (feeds.get(running.ref) === running && running.last?.state.kind === "needs-auth") publish(running);
          }),
        );
        return;
      }
    }
    // The server is back for this publication: acknowledgements waiting for it go now, not at their next retry.
    const reached = snapshot.state.kind === "live" || snapshot.state.kind === "polling";
    if (reached && previous?.state.kind !== snapshot.state.kind) options.receipts?.wake();
    publish(running);
  }, logger);
  const leases = new Map<string, () => void>();
  let dropped = 0;
  let closed = false;
  const deviceWatches = new DeviceWatches(
    (scope, tuning, listener) => feeds.watchDevice(scope, tuning, listener),
    (scope, publications) => send(envelope({ type: "device", scope, publications })),
    clock,
  );
  const sendReceipts = (server: string) =>
    send(envelope({ type: "receipts", server, receipts: (options.receipts?.entries(server) ?? []).map(toWireReceipt) }));
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
  function ensureFollowed(claim: SubscriptionClaim): { running: Followed; started: boolean } {
    const { followed: running, started } = feeds.follow(claim.ref, claim.tuning, false);
    running.cancelStop?.();
    running.cancelStop = undefined;
    return { running, started };
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

  function touchLease(clientId: string) {
    // A tab new to this host has not heard of earlier recoveries, nor of the servers' protocols.
    if (!leases.has(clientId)) {
      sendRecoveries();
      sendUpstreams();
    }
    leases.get(clientId)?.();
    leases.set(
      clientId,
      clock.setTimer(leaseMs, () => {
        leases.delete(clientId);
        logger.info("client lease expired", { clientId });
        for (const ref of book.releaseClient(clientId)) scheduleStop(ref, graceMs);
        deviceWatches.releaseClient(clientId);
      }),
    );
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

  /** Gives a new holder what the feed already knows of the ref: its value once, in full. */
  function greet(running: Followed) {
    if (!running.last) return;
    publish(running, true);
    if (running.last.state.kind === "needs-auth") send(envelope({ type: "token-request", server: running.ref.server }));
  }

  /** A tab claimed a ref: make sure it is followed, and give the tab what the feed already knows. */
  function claim(claimed: SubscriptionClaim, firstHolder: boolean) {
    const { running, started } = ensureFollowed(claimed);
    if (firstHolder) persist("write", options.subscriptions?.put(claimed.ref));
    // A newly followed ref's first snapshot is broadcast when the feed reports it.
    if (!started) greet(running);
  }

  async function clear(requestId: string, scope: RefScope) {
    const affected = feeds.all().filter((running) => inScope(running.ref, scope));
    // Stop writers first, so nothing re-stores a value after the wipe.
    for (const running of affected) feeds.release(running);
    try {
      await options.subscriptions?.clearScope(scope);
      await options.clearStorage(scope);
    } catch (error) {
      logger.error("clear failed", { error: String(error) });
      return;
    }
    // Tabs that still claim these refs keep getting live data, from an empty cache.
    for (const running of affected) {
      if (book.holders(running.ref) > 0) {
        feeds.follow(running.ref, undefined, false);
        persist("write", options.subscriptions?.put(running.ref));
      }
    }
    send(envelope({ type: "cleared", requestId }));
  }

  function dispatch(message: ToHostMessage) {
    switch (message.type) {
      case "subscribe": {
        touchLease(message.clientId);
        claim(message.claim, book.claim(message.clientId, message.claim.ref));
        return;
      }
      case "unsubscribe":
        touchLease(message.clientId);
        if (book.release(message.clientId, message.ref)) scheduleStop(message.ref, graceMs);
        return;
      case "heartbeat": {
        touchLease(message.clientId);
        const { gained, lost } = book.sync(message.clientId, message.claims.map((c) => c.ref));
        const gainedKeys = new Set(gained.map(refKey));
        for (const claimed of message.claims) {
          const first = gainedKeys.has(refKey(claimed.ref));
          if (first) claim(claimed, true);
          else ensureFollowed(claimed);
        }
        for (const ref of lost) scheduleStop(ref, graceMs);
        deviceWatches.sync(message.clientId, message.devices ?? []);
        return;
      }
      case "goodbye":
        leases.get(message.clientId)?.();
        leases.delete(message.clientId);
        for (const ref of book.releaseClient(message.clientId)) scheduleStop(ref, graceMs);
        deviceWatches.releaseClient(message.clientId);
        return;
      case "wake":
        touchLease(message.clientId);
        feeds.wake();
        options.receipts?.wake();
        return;
      case "watch-device":
        touchLease(message.clientId);
        deviceWatches.watch(message.clientId, message.watch);
        return;
      case "unwatch-device":
        touchLease(message.clientId);
        deviceWatches.unwatch(message.clientId, message.scope);
        return;
      case "acknowledge": {
        touchLease(message.clientId);
        const { ref } = message;
        if (!options.receipts) {
          logger.warn("dropped an acknowledgement: this host sends none", { id: ref.id });
          return;
        }
        void options.receipts
          .request(ref.server, {
            device: ref.device,
            id: ref.id,
            version: message.version,
            publishTimeMs: message.publishTimeMs,
            receipt: message.receipt,
            ...(message.reason !== undefined && { reason: message.reason }),
          })
          .catch((error: unknown) => logger.warn("acknowledgement could not be recorded", { id: ref.id, error: String(error) }));
        return;
      }
      case "token":
        // The token the host already has (a page answering a token request
        // with it): retrying could only be refused again — e.g. a signed-in
        // screen that is not allowed (PERMISSION_DENIED) — so no retry loop.
        if (tokens.get(message.server) === (message.token ?? undefined)) return;
        if (message.token === null) {
          // Signed out: the old token is forgotten; nothing to retry with.
          tokens.delete(message.server);
          return;
        }
        tokens.set(message.server, message.token);
        feeds.credentialsChanged(message.server);
        options.receipts?.credentialsChanged(message.server);
        return;
      case "clear":
        void clear(message.requestId, message.scope);
        return;
    }
  }

  return {
    receive(raw) {
      if (closed) return undefined;
      const message = parseToHostMessage(raw);
      if (!message) {
        const type = (raw as { type?: unknown } | null)?.type;
        if (!(typeof type === "string" && TO_PAGE_TYPES.includes(type) && (raw as { v?: unknown }).v === 1)) {
          dropped += 1;
          logger.warn("dropped a malformed message", { dropped });
        }
        return undefined;
      }
      dispatch(message);
      return message;
    },

    async resume() {
      if (!closed) {
        options.storageWatch?.start();
        options.upstreamWatch?.start();
      }
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
      for (const cancel of leases.values()) cancel();
      leases.clear();
      for (const cancel of heldBack.values()) cancel();
      heldBack.clear();
      deviceWatches.close();
      options.storageWatch?.close();
      options.upstreamWatch?.close();
      stopRecoveries?.();
      stopUpstreams?.();
      options.receipts?.close();
      feeds.closeAll();
    },
  };
}
