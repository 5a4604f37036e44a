import type { CachedValue } from "../core/cache-types.js";
import { randomId } from "../platform/random-id.js";
import {
  channelName,
  envelope,
  type StorageRecovery,
  type SubscriptionClaim,
  type ToHostMessage,
  type ToPageMessage,
} from "../protocol/messages.js";
import { decodePublication } from "../protocol/publication-decoder.js";
import type { PublicationRef } from "../protocol/publication-ref.js";
import { fromWireSnapshot } from "../protocol/wire-snapshot.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { createIdbReader } from "../storage/idb/idb-reader.js";
import { StorageError } from "../core/storage-error.js";
import type { PubCacheClientOptions } from "./client-options.js";
import { standForLeader, type LeaderCandidacy } from "./leader-election.js";
import { openPageChannel } from "./page-channel.js";
import { valueFromStorage, type PublicationUpdate } from "./publication-update.js";
import { SubscriptionViews } from "./subscription-views.js";
import { registerCacheWorker } from "./worker-registration.js";

/** Who hosts the cache for this tab. */
export type HostMode = "service-worker" | "leader" | "follower";

export interface ClientDiagnostics {
  readonly mode: HostMode;
  /**
   * Channel messages dropped because they did not validate — including host
   * snapshots whose publication does not decode or is not the one named.
   */
  readonly droppedMessages: number;
  readonly receivedMessages: number;
  /**
   * Storage the host found lost while it ran (IndexedDB cleared or deleted,
   * the app's precached files gone) and what it wrote back, newest last, as
   * the host last reported them; empty until it reports any.
   */
  readonly storageRecoveries: readonly StorageRecovery[];
}

/** A page's handle on the shared publication cache. */
export interface PubCacheClient {
  /**
   * Calls `callback` with the current update for `id` (soon after, from
   * IndexedDB, before the host says anything), then whenever its value or
   * state changes. Never twice in a row with the same value and state.
   * Returns the unsubscribe function.
   */
  subscribe(id: string, callback: (update: PublicationUpdate) => void): () => void;
  /**
   * The update for `id` right now, without waiting: the object the last
   * callback of a subscription to `id` received, the same object until it
   * changes (so it suits React's `useSyncExternalStore`). Without a
   * subscription to `id`, a `connecting` update with no value (also a
   * stable object). Never starts anything: subscribe for that.
   */
  peek(id: string): PublicationUpdate;
  /** The latest value known for `id` (live, else stored), or `undefined`. */
  get(id: string): Promise<CachedValue | undefined>;
  /** Wipes this partition's cached data (values and persisted subscriptions), e.g. on sign-out. */
  clear(): Promise<void>;
  /** Your token changed (sign-in, refresh): asks `getToken` again and hands the result to the host. */
  credentialsChanged(): Promise<void>;
  readonly diagnostics: ClientDiagnostics;
  /** Stops heartbeats and releases this tab's subscriptions. */
  close(): Promise<void>;
}

/**
 * Platform pieces the client takes from the browser; tests replace them.
 * Not part of the public options.
 */
export interface ClientEnvironment {
  /** Default `navigator.locks`; `null` for none. */
  readonly locks?: Pick<LockManager, "request"> | null;
  /** How long `clear()` waits for the host before wiping storage itself. Default 5 s. */
  readonly clearTimeoutMs?: number;
}

/**
 * Creates the page client. It reads IndexedDB itself for the first paint,
 * gets live updates on the shared BroadcastChannel and talks to the host —
 * the service worker when one controls the page, otherwise the tab elected
 * with Web Locks (possibly this one).
 */
export function createPubCacheClient(options: PubCacheClientOptions, environment: ClientEnvironment = {}): PubCacheClient {
  const { server, device, logger } = options;
  const partition = options.partition ?? "";
  const clientId = randomId();
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const db = openPubCacheDatabase({ ...(options.databaseName && { name: options.databaseName }), ...(logger && { logger }) });
  // Reads and wipes only: writing is the host's job (and needs the protobuf encoder).
  const storage = createIdbReader(db, { server, device, partition }, decodePublication);
  const views = new SubscriptionViews(logger);
  const pendingClears = new Map<string, () => void>();
  const placeholders = new Map<string, PublicationUpdate>();
  let mode: HostMode = "follower";
  let candidacy: LeaderCandidacy | undefined;
  let closed = false;
  let droppedSnapshots = 0;
  let sentToken = false;
  let storageRecoveries: readonly StorageRecovery[] = [];

  const refOf = (id: string): PublicationRef => ({ server, device, partition, id });
  const claimOf = (id: string): SubscriptionClaim => ({ ref: refOf(id), ...(options.tuning && { tuning: options.tuning }) });

  const channel = openPageChannel(onPageMessage, new BroadcastChannel(channelName(options.databaseName)));
  const worker =
    options.serviceWorker === false
      ? undefined
      : registerCacheWorker(options.serviceWorker ?? "/sw.js", onControllerChange, logger);

  function send(message: ToHostMessage) {
    if (closed) return;
    const controller = mode === "service-worker" ? worker?.controller() : undefined;
    // postMessage to the worker is an event: it also restarts a stopped worker.
    if (controller) controller.postMessage(message);
    else channel.post(message);
  }

  function onPageMessage(message: ToPageMessage) {
    switch (message.type) {
      case "snapshot": {
        const { ref } = message;
        if (ref.server !== server || ref.device !== device || ref.partition !== partition) return;
        const view = views.get(ref.id);
        if (!view) return;
        const snapshot = fromWireSnapshot(message.snapshot);
        // Any same-origin script can post on the channel: a value that does
        // not decode, or is another publication than the one named, is not shown.
        if (!snapshot || (snapshot.value && snapshot.value.publication.id !== ref.id)) {
          droppedSnapshots += 1;
          logger?.warn("dropped a snapshot that is not the publication it names", { id: ref.id });
          return;
        }
        view.heardFromHost = true;
        // A host that just started has not loaded storage yet: keep what we show.
        views.deliver(
          {
            id: ref.id,
            value: snapshot.value ?? view.update.value,
            state: snapshot.state,
            ...(snapshot.lastError && { lastError: snapshot.lastError }),
          },
          snapshot.value ? message.snapshot.value?.publication : views.bytesOf(ref.id),
        );
        return;
      }
      case "token-request":
        if (message.server === server) void provideToken();
        return;
      case "cleared":
        pendingClears.get(message.requestId)?.();
        return;
      case "host-ready":
        heartbeat();
        void provideToken();
        return;
      case "storage-recoveries":
        storageRecoveries = message.recoveries;
        return;
    }
  }

  async function provideToken() {
    if (!options.getToken) return;
    try {
      const token = await options.getToken(server);
      if (token) send(envelope({ type: "token", server, token }));
      // Signed out since: the host must not keep using the old one.
      else if (sentToken) send(envelope({ type: "token", server, token: null }));
      sentToken = Boolean(token);
    } catch (error) {
      logger?.warn("getToken failed", { error: String(error) });
    }
  }

  function heartbeat() {
    send(envelope({ type: "heartbeat", clientId, claims: views.ids().map(claimOf) }));
  }

  function useLeaderTab() {
    candidacy = standForLeader({
      ...(options.databaseName && { databaseName: options.databaseName }),
      ...(logger && { logger }),
      ...(environment.locks !== undefined && { locks: environment.locks }),
      onChange: (isLeader) => {
        if (mode !== "service-worker") mode = isLeader ? "leader" : "follower";
      },
    });
  }

  function onControllerChange() {
    if (closed) return;
    if (!worker?.controller()) {
      // The worker was removed under us (site data cleared, unregistered): it
      // hosts nothing any more. A tab hosts until the worker is registered again.
      if (mode === "service-worker") {
        mode = "follower";
        useLeaderTab();
      }
      return;
    }
    if (mode === "service-worker") return;
    mode = "service-worker";
    // The worker hosts the cache from now on: stop hosting it here.
    void candidacy?.resign();
    candidacy = undefined;
    heartbeat();
    void provideToken();
  }

  if (worker?.controller()) mode = "service-worker";
  else useLeaderTab();
  void provideToken();

  const timer = setInterval(heartbeat, heartbeatMs);
  const onPageHide = () => send(envelope({ type: "goodbye", clientId }));
  // Network back, or a tab shown again after its timers were throttled:
  // re-state our claims and let the engines retry now, not after their backoff.
  const onWake = () => {
    if (globalThis.document?.visibilityState === "hidden") return;
    heartbeat();
    send(envelope({ type: "wake", clientId }));
  };
  globalThis.addEventListener?.("pagehide", onPageHide);
  globalThis.addEventListener?.("online", onWake);
  globalThis.document?.addEventListener("visibilitychange", onWake);

  return {
    subscribe(id, callback) {
      const { view, created } = views.open(id);
      if (created) {
        send(envelope({ type: "subscribe", clientId, claim: claimOf(id) }));
        // First paint straight from IndexedDB, unless the host was faster.
        storage.loadEntry(id).then(
          (entry) => {
            if (!view.heardFromHost && views.isCurrent(view)) {
              views.deliver({ id, value: valueFromStorage(entry), state: view.update.state }, entry.bytes);
            }
          },
          (error: unknown) => {
            if (!StorageError.is(error, "not-found")) logger?.warn("first-paint read failed", { id, error: String(error) });
          },
        );
      }
      view.callbacks.add(callback);
      queueMicrotask(() => {
        if (view.callbacks.has(callback)) callback(view.update);
      });
      return () => {
        view.callbacks.delete(callback);
        if (views.closeIfUnused(view)) send(envelope({ type: "unsubscribe", clientId, ref: refOf(id) }));
      };
    },

    peek(id) {
      const current = views.get(id)?.update;
      if (current) return current;
      let placeholder = placeholders.get(id);
      if (!placeholder) {
        // Bounded: peeking ids nobody subscribes to is a programming slip, not a workload.
        if (placeholders.size >= 1_000) placeholders.clear();
        placeholders.set(id, (placeholder = { id, value: undefined, state: { kind: "connecting" } }));
      }
      return placeholder;
    },

    async get(id) {
      const live = views.get(id)?.update.value;
      if (live) return live;
      try {
        return valueFromStorage(await storage.loadEntry(id));
      } catch (error) {
        if (StorageError.is(error, "not-found")) return undefined;
        throw error;
      }
    },

    async clear() {
      const requestId = randomId();
      const answered = new Promise<boolean>((resolve) => {
        pendingClears.set(requestId, () => resolve(true));
        setTimeout(() => resolve(false), environment.clearTimeoutMs ?? 5_000);
      });
      send(envelope({ type: "clear", requestId, scope: { server, device, partition } }));
      const hostCleared = await answered;
      pendingClears.delete(requestId);
      // No host answered (none elected yet, worker unreachable): wipe the values ourselves.
      if (!hostCleared) await storage.clear();
      for (const view of views.all()) views.deliver({ id: view.id, value: undefined, state: view.update.state }, undefined);
    },

    credentialsChanged: provideToken,

    get diagnostics() {
      return {
        mode,
        droppedMessages: channel.counters.dropped + droppedSnapshots,
        receivedMessages: channel.counters.received,
        storageRecoveries,
      };
    },

    async close() {
      if (closed) return;
      send(envelope({ type: "goodbye", clientId }));
      closed = true;
      clearInterval(timer);
      globalThis.removeEventListener?.("pagehide", onPageHide);
      globalThis.removeEventListener?.("online", onWake);
      globalThis.document?.removeEventListener("visibilitychange", onWake);
      worker?.close();
      channel.close();
      await candidacy?.resign();
      db.close();
    },
  };
}
