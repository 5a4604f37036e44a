import type { CachedValue } from "../core/cache-types.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { randomId } from "../platform/random-id.js";
import {
  channelName,
  envelope,
  type ReceiptInfo,
  type ServerContact,
  type StorageRecovery,
  type SubscriptionClaim,
  type ToHostMessage,
  type UpstreamProtocol,
  type WatchdogEvent,
} from "../protocol/messages.js";
import { decodePublication } from "../protocol/publication-decoder.js";
import type { PublicationRef } from "../protocol/publication-ref.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { createIdbReader } from "../storage/idb/idb-reader.js";
import { StorageError } from "../core/storage-error.js";
import type { PubCacheClientOptions } from "./client-options.js";
import type { LeaderCandidacy } from "./leader-election.js";
import { openPageChannel } from "./page-channel.js";
import { valueFromStorage, type PublicationUpdate } from "./publication-update.js";
import { DeviceWatchers } from "./device-watchers.js";
import { MAX_REASON_LENGTH, ScreenReceipts, type ScreenReceipt } from "./screen-receipts.js";
import { SubscriptionViews } from "./subscription-views.js";
import { createHostLink } from "./host-link.js";
import type { ReportedDiagnostics } from "./host-report-inbox.js";
import { dispatchToPage, type Inbox } from "./page-inbox.js";
import type { WorkerProblem } from "./worker-problem.js";
import { registerCacheWorker } from "./worker-registration.js";

/** What `acknowledge` may say besides the receipt. */
export interface AcknowledgeOptions {
  /** Why the body cannot be shown (`rejected`); at most 200 characters are sent. */
  readonly reason?: string;
  /** Acknowledge only if this is still the version delivered (for a render that took a while). */
  readonly version?: string;
}

export type { ReceiptInfo, ServerContact, UpstreamProtocol, WatchdogEvent } from "../protocol/messages.js";
export type { WorkerProblem, WorkerProblemKind } from "./worker-problem.js";

/** Who hosts the cache for this tab. */
export type HostMode = "service-worker" | "leader" | "follower";

export interface ClientDiagnostics {
  readonly mode: HostMode;
  /** Where this origin's acknowledgements to this server and device stand (sent, waiting, refused). */
  readonly receipts: readonly ReceiptInfo[];
  /**
   * Set while this server's access policy refuses this origin's
   * acknowledgements (PERMISSION_DENIED, e.g. a sign-in with a read-only
   * role): when the refusal came, milliseconds since the epoch. Meanwhile
   * none is sent — each one asked for is recorded `refused` — until the
   * credentials change (another sign-in or account; a renewed token of the
   * same sign-in is not a change). `undefined` otherwise, and while nothing
   * is known.
   */
  readonly receiptsRefusedSince: number | undefined;
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
  /**
   * Why no service worker hosts the cache for this page, or `undefined`
   * while nothing is known to be wrong (a worker registered, or is being
   * registered; or the `serviceWorker: false` option). Set at once on a page
   * that is not a secure context or has no service workers, and when a
   * registration fails (`certificate-not-trusted` for a page reached through
   * a certificate warning); cleared when a later registration succeeds.
   * Either way the leader-tab fallback hosts the cache meanwhile.
   */
  readonly workerProblem: WorkerProblem | undefined;
  /**
   * The HTTP protocol (`h2`, `http/1.1`) the host's requests to this
   * client's server went over, as the host last reported it; `undefined`
   * until a request of the host's has finished. `protocol` is absent when
   * the browser did not say (a cross-origin server that sends no
   * `Timing-Allow-Origin`).
   */
  readonly upstreamProtocol: UpstreamProtocol | undefined;
  /**
   * What the service worker's watchdog did about tabs of this origin that
   * stopped answering while visible (reloaded them, or held back: it had
   * reloaded that address less than 10 minutes before), newest last, as the
   * worker last reported; empty until it reports any.
   */
  readonly watchdogEvents: readonly WatchdogEvent[];
  /**
   * When the host last heard this client's server (any successful response
   * or stream message) and, once a call failed for want of a connection
   * since, when (`lostAt`); `undefined` until the host reports it. The host
   * keeps it across reloads and restarts: it is the time a screen says it
   * has been offline since.
   */
  readonly serverContact: ServerContact | undefined;
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
  /**
   * Tells the server this screen shows (`accepted`) or cannot show
   * (`rejected`, with a short reason) the version of `id` now delivered —
   * only for a publication whose audience is this client's `screen`, and
   * only once per version (and publish time). The host sends it, waiting
   * for the network if it must, even across a reload. Returns whether an
   * acknowledgement was asked for.
   */
  acknowledge(id: string, receipt: ScreenReceipt, options?: AcknowledgeOptions): boolean;
  /**
   * Every publication of this server × device as metadata (no bodies:
   * version, publish time, media type, audience and receipt) — soon, then
   * after every change — for a fleet view of who shows what. Rides on the
   * same upstream connection as the publications. Returns the function that
   * stops watching.
   */
  watchDevice(callback: (publications: readonly Publication[]) => void): () => void;
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
  const scope = { server, device, partition };
  const storage = createIdbReader(db, scope, decodePublication);
  const views = new SubscriptionViews(logger, (update, failure) => acknowledgeRendered(update, failure));
  const pendingClears = new Map<string, () => void>();
  const placeholders = new Map<string, PublicationUpdate>();
  let mode: HostMode = "follower";
  let candidacy: Pick<LeaderCandidacy, "resign"> | undefined;
  let closed = false;
  let droppedSnapshots = 0;
  const autoReceipts = options.screen !== undefined && options.receipts !== "manual";
  const receipts = new ScreenReceipts(options.screen, ({ id, publishTimeMs, ...request }) =>
    send(envelope({ type: "acknowledge", clientId, ref: refOf(id), ...request, ...(publishTimeMs !== undefined && { publishTimeMs }) })),
  );
  /** With automatic receipts, what this screen says of a value once rendered: accepted, or rejected with what the render threw. */
  const acknowledgeRendered = (update: PublicationUpdate, failure: unknown) => {
    if (autoReceipts) receipts.acknowledge(update, failure === undefined ? "accepted" : "rejected", failure === undefined ? undefined : shortMessage(failure));
  };
  const watchOfDevice = () => ({ scope, ...(options.tuning && { tuning: options.tuning }) });
  const deviceWatchers = new DeviceWatchers(
    () => send(envelope({ type: "watch-device", clientId, watch: watchOfDevice() })),
    () => send(envelope({ type: "unwatch-device", clientId, scope })),
  );
  let sentToken = false;
  let workerProblem: WorkerProblem | undefined;
  // Filled by the host's reports, as they come (host-report-inbox.ts).
  const reported: ReportedDiagnostics = {
    receipts: [],
    receiptsRefusedSince: undefined,
    storageRecoveries: [],
    upstreamProtocol: undefined,
    watchdogEvents: [],
    serverContact: undefined,
  };

  const refOf = (id: string): PublicationRef => ({ ...scope, id });
  const claimOf = (id: string): SubscriptionClaim => ({ ref: refOf(id), ...(options.tuning && { tuning: options.tuning }) });

  const channel = openPageChannel(
    (message) => dispatchToPage(message, inbox),
    (report, { applyHostReport }) => applyHostReport(report, reported, scope),
    new BroadcastChannel(channelName(options.databaseName)),
  );
  const worker =
    options.serviceWorker === false
      ? undefined
      : registerCacheWorker(options.serviceWorker ?? "/sw.js", {
          onControllerChange,
          onProblem: (problem) => void (workerProblem = problem),
          logger,
        });

  const link = createHostLink(channel, () => (mode === "service-worker" ? worker?.controller() : undefined));

  function send(message: ToHostMessage) {
    if (!closed) link.send(message);
  }

  /** What the inbox's handlers may touch of this tab. */
  const inbox: Inbox = {
    scope,
    views,
    deviceWatchers,
    logger,
    dropped: () => void (droppedSnapshots += 1),
    tokenRequested: () => void provideToken(),
    cleared: (requestId) => pendingClears.get(requestId)?.(),
    hostReady() {
      heartbeat();
      void provideToken();
    },
  };

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
    const devices = deviceWatchers.watching ? [watchOfDevice()] : undefined;
    // The period lets a worker host notice this tab hanging (its watchdog reloads a visible tab gone silent).
    send(envelope({ type: "heartbeat", clientId, claims: views.ids().map(claimOf), ...(devices && { devices }), heartbeatMs }));
  }

  function useLeaderTab() {
    // Only a page no worker controls stands for leader, and none waits for
    // it to show a value: the election comes with its own chunk.
    let withdrawn = false;
    const standing = import("./leader-election.js").then(({ standForLeader }) =>
      withdrawn
        ? undefined
        : standForLeader({
            // Left undefined, each is the election's default.
            databaseName: options.databaseName,
            logger,
            locks: environment.locks,
            onChange: (isLeader) => {
              if (mode !== "service-worker") mode = isLeader ? "leader" : "follower";
            },
          }),
    );
    standing.catch((error: unknown) => logger?.error("leader election failed", { error: String(error) }));
    candidacy = {
      async resign() {
        withdrawn = true;
        await (await standing.catch(() => undefined))?.resign();
      },
    };
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
        if (!view.callbacks.has(callback)) return;
        // Without a value there is nothing to acknowledge (the receipts see to that).
        acknowledgeRendered(view.update, views.call(callback, view.update));
      });
      return () => {
        view.callbacks.delete(callback);
        if (views.closeIfUnused(view)) {
          receipts.forget(id);
          send(envelope({ type: "unsubscribe", clientId, ref: refOf(id) }));
        }
      };
    },

    acknowledge(id, receipt, { reason, version } = {}) {
      const update = views.get(id)?.update;
      // The version rendered may be older than the one delivered since (a slow render): say nothing of it.
      if (!update || (version !== undefined && update.value?.publication.version !== version)) return false;
      return receipts.acknowledge(update, receipt, reason);
    },

    watchDevice: (callback) => deviceWatchers.add(callback),

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
      send(envelope({ type: "clear", requestId, scope }));
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
        ...reported,
        workerProblem,
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

/** A render's failure as a short rejection reason (never a stack). */
function shortMessage(failure: unknown): string {
  const text = failure instanceof Error ? failure.message : String(failure);
  return (text || "cannot be shown").slice(0, MAX_REASON_LENGTH);
}

