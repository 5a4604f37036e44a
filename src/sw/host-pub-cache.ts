/// <reference lib="webworker" />
import { CLAIM_CLIENTS_TYPE } from "../protocol/claim-clients.js";
import { holdLeaderLock as holdLock } from "../host/leader-lock.js";
import { DEFAULT_LEASE_MS, type CacheHostStats } from "../host/cache-host.js";
import type { Logger } from "../core/logger.js";
import { openChannelHost } from "../host/channel-host.js";
import { createLifetimeHolds } from "./lifetime-holds.js";
import { createRecoveryLog, type RecoveryLog } from "../host/recovery-log.js";
import type { ServiceWorkerScope } from "./service-worker-scope.js";
import { createWorkerWatchdog } from "./worker-watchdog.js";

/** Options of {@link hostPubCache}. */
export interface HostPubCacheOptions {
  /** IndexedDB database name; default the shared `pubcache` database. Must match the pages' `databaseName`. */
  readonly databaseName?: string;
  /** How long a publication no tab needs any more keeps streaming, so a reload does not restart its stream. Default 10 000 ms. */
  readonly graceMs?: number;
  /**
   * How long a tab's subscriptions live without a heartbeat. Default 150 000 ms:
   * browsers run a background tab's timers once a minute.
   */
  readonly leaseMs?: number;
  /** Where the host logs; never receives tokens. Default silent. */
  readonly logger?: Logger;
  /**
   * Claim a page that asks to be (default `true`): see the contract of
   * {@link hostPubCache}. Set `false` if your worker must never control a
   * page before it reloads.
   */
  readonly claimLatePages?: boolean;
  /**
   * Reload a tab this worker controls that stopped answering (default
   * `true`): visible, and no message for three of its heartbeat periods
   * (15 s with the page client's default 5 s), it is navigated to its own
   * address — at most once per 10 minutes per address, remembered across
   * worker restarts — and pages' diagnostics list it (`watchdogEvents`).
   */
  readonly watchdog?: boolean;
}

/**
 * What {@link hostPubCache} gives the worker's own code: when it is serving,
 * and counters for diagnostics. Pages talk to the cache through the page
 * client, never through this object.
 */
export interface HostedPubCache {
  /**
   * Settles once this worker hosts the cache and has resumed the persisted
   * subscriptions (or failed to load them): after activation, once no tab
   * hosts it any more. Never settles in a worker that is not activated.
   */
  readonly ready: Promise<void>;
  /** Messages dropped because they did not validate, and engines running now. */
  readonly stats: CacheHostStats;
}

/** Page messages kept while the worker waits to host; replayed when it starts. */
const MAX_QUEUED = 100;

/**
 * Hosts the publication cache in a service worker. Call it once, at the top
 * level of your worker script (so the message listener is registered during
 * the first evaluation, as browsers require):
 *
 * ```ts
 * hostPubCache(self);
 * ```
 *
 * (Or call {@link precacheAndHost}, which also precaches the app shell and
 * answers navigations with it.)
 *
 * Contract:
 * - pages (the client from `createPubCacheClient`) talk to it by
 *   `postMessage`; it answers every page at once on the `pubcache:v1`
 *   BroadcastChannel. Messages that do not validate are dropped and counted.
 * - It opens no stream before it is activated. An installing (or waiting)
 *   worker keeps page messages for later: its streams would take HTTP/1.1
 *   connections from the leader tab's, and while a worker's requests wait
 *   for a connection, Chromium holds every other fetch of that worker too —
 *   precaching included, so installation never finished.
 * - Once activated it hosts under the same Web Lock as the leader tab
 *   (`navigator.locks`), so the worker and a tab never both stream: it waits
 *   for the leader tab to hand over (pages resign when a worker controls
 *   them), then resumes every persisted subscription from the stored values.
 *   It does the same on every later start. It lets go of the lock when a new
 *   version replaces it. While it waits, page messages are relayed to
 *   whoever hosts; while it hosts, it also serves tabs that talk on the
 *   channel (pages the worker does not control).
 * - Each accepted message extends the worker's lifetime with `waitUntil` while
 *   streams run, up to one lease (pages send a heartbeat well within it);
 *   holds are released when a new worker version waits, so updates are not
 *   blocked (see lifetime-holds.ts).
 * - Tokens received from pages are held in memory only.
 * - It does not call `skipWaiting`, and does not touch `fetch`: those are
 *   the host application's choices. It calls `clients.claim()` only when a
 *   page asks (`{ type: "CLAIM_CLIENTS" }`, sent by the page client) and this
 *   worker is active: a tab whose navigation started before activation and
 *   finished after the app's own `clients.claim()` is skipped by that claim
 *   (pages still loading are not claimable) and would otherwise stay
 *   uncontrolled until reloaded. `claimLatePages: false` leaves it alone.
 */
export function hostPubCache(scope: ServiceWorkerScope, options: HostPubCacheOptions = {}): HostedPubCache {
  return hostPubCacheWith(scope, options, createRecoveryLog());
}

/**
 * {@link hostPubCache} recording storage recoveries in `recoveries`, which
 * the worker's own code (precache healing) writes to as well, so pages hear
 * of both. Not part of the package's API.
 */
export function hostPubCacheWith(scope: ServiceWorkerScope, options: HostPubCacheOptions, recoveries: RecoveryLog): HostedPubCache {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const { watchdog: watchTabs, ...hostOptions } = options;
  const watchdog = watchTabs === false ? undefined : createWorkerWatchdog(scope, options.logger);
  const hosting = openChannelHost({ ...hostOptions, recoveries, ...(watchdog && { watchdog }) });
  const { host } = hosting;

  const holds = createLifetimeHolds(scope, () => host.whenIdle(), leaseMs);

  let serving = false;
  let releaseLeaderLock: (() => void) | undefined;
  const queued: unknown[] = [];

  scope.addEventListener("message", (event) => {
    if (isClaimRequest(event.data)) {
      if (options.claimLatePages !== false && isActivated(scope)) event.waitUntil(scope.clients.claim());
      return;
    }
    if (isWorkboxControlMessage(event.data)) return;
    if (!serving) {
      // Not hosting yet: whoever hosts now (the leader tab) serves it; we replay it when we start.
      queued.push(event.data);
      if (queued.length > MAX_QUEUED) queued.shift();
      hosting.relay(event.data);
      return;
    }
    const message = host.receive(event.data);
    if (!message) return;
    holds.hold(event);
    const tab = event.source instanceof WindowClientClass() ? event.source.id : undefined;
    if (watchdog && tab !== undefined) {
      // Any message says the tab answers; a heartbeat with its period puts it under watch. A goodbye ends it.
      if (message.type === "goodbye") watchdog.forget(tab);
      else watchdog.heard(tab, message.type === "heartbeat" ? message.heartbeatMs : undefined);
    }
  });
  // Tabs this worker does not control (yet) talk on the channel: the channel host serves them once started.

  // Workers see connectivity changes too (while running): retry at once.
  scope.addEventListener("online", () => host.wake());

  let begin: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const ready = started
    .then(() => holdLeaderLock(scope, options, (release) => (releaseLeaderLock = release)))
    .then(async () => {
      serving = true;
      await hosting.start(queued.splice(0));
    })
    .catch((error: unknown) => options.logger?.error("resuming subscriptions failed", { error: String(error) }));

  // Runs at every worker start. An activated worker starts at once; there is
  // no event to hold on to here: the page heartbeat that (usually) caused
  // the start extends the lifetime. An installing one waits for activation.
  if (isActivated(scope)) begin();
  else scope.addEventListener("activate", () => begin());

  // Replaced by a new version: stop streaming and let the successor have the lock.
  scope.serviceWorker?.addEventListener?.("statechange", () => {
    if (scope.serviceWorker.state !== "redundant") return;
    serving = false;
    watchdog?.close();
    void hosting.stop().finally(() => releaseLeaderLock?.());
  });

  return {
    ready,
    get stats() {
      return host.stats;
    },
  };
}

/**
 * Takes the leader tab's Web Lock and keeps it for this worker's life (the
 * browser releases it when it stops the worker). Resolves once held, or at
 * once where workers have no Web Locks.
 */
function holdLeaderLock(
  scope: ServiceWorkerGlobalScope,
  options: HostPubCacheOptions,
  onHeld: (release: () => void) => void,
): Promise<void> {
  const locks = (scope.navigator as (WorkerNavigator & { locks?: LockManager }) | undefined)?.locks;
  if (!locks) return Promise.resolve();
  return new Promise<void>((granted, failed) => {
    holdLock(locks, options.databaseName, () => {
      granted();
      return new Promise<void>((release) => onHeld(release));
    }).catch(failed);
  });
}

/** True in a worker that is already the active one (restarted), false while installing or waiting. */
function isActivated(scope: ServiceWorkerGlobalScope): boolean {
  const self = (scope as { serviceWorker?: ServiceWorker }).serviceWorker;
  if (self) return self.state === "activating" || self.state === "activated";
  // Older engines without `scope.serviceWorker`: an active registration with nothing installing.
  return Boolean(scope.registration?.active) && !scope.registration?.installing;
}

/** A page this worker does not control asks to be claimed (see `claimLatePages`). */
function isClaimRequest(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === CLAIM_CLIENTS_TYPE && !("v" in data);
}

/** workbox-window's `messageSkipWaiting()` sends this; it is not ours to count as malformed. */
function isWorkboxControlMessage(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "SKIP_WAITING" && !("v" in data);
}

/** `WindowClient` where the runtime has it (a worker); a class nothing is an instance of elsewhere (tests). */
function WindowClientClass(): abstract new (...args: never[]) => WindowClient {
  return (globalThis as { WindowClient?: abstract new (...args: never[]) => WindowClient }).WindowClient ?? (class {} as never);
}
