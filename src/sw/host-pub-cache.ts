/// <reference lib="webworker" />
import { channelName } from "../protocol/messages.js";
import { DEFAULT_LEASE_MS, type CacheHost } from "./host/cache-host.js";
import { createBrowserHost, type BrowserHostOptions } from "./host/browser-host.js";
import { createLifetimeHolds } from "./lifetime-holds.js";

export type HostPubCacheOptions = BrowserHostOptions;

export interface HostedPubCache {
  readonly host: CacheHost;
  /** Settles once the persisted subscriptions have been resumed (or failed to load). */
  readonly ready: Promise<void>;
}

/**
 * Hosts the publication cache in a service worker. Call it once, at the top
 * level of your worker script (so the message listener is registered during
 * the first evaluation, as browsers require):
 *
 * ```ts
 * hostPubCache(self);
 * ```
 *
 * Contract:
 * - pages (the client from `createPubCacheClient`) talk to it by
 *   `postMessage`; it answers every page at once on the `pubcache:v1`
 *   BroadcastChannel. Messages that do not validate are dropped and counted.
 * - On start-up (every time the browser starts the worker) it resumes every
 *   persisted subscription by itself, from the stored values.
 * - Each accepted message extends the worker's lifetime with `waitUntil` while
 *   streams run, up to one lease (pages send a heartbeat well within it);
 *   holds are released when a new worker version waits, so updates are not
 *   blocked (see lifetime-holds.ts).
 * - Tokens received from pages are held in memory only.
 * - It does not call `skipWaiting` or `clients.claim`, and does not touch
 *   `fetch`: those are the host application's choices.
 */
export function hostPubCache(scope: ServiceWorkerGlobalScope, options: HostPubCacheOptions = {}): HostedPubCache {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const channel = new BroadcastChannel(channelName(options.databaseName));
  const { host } = createBrowserHost({ ...options, broadcast: (message) => channel.postMessage(message) });

  const holds = createLifetimeHolds(scope, () => host.whenIdle(), leaseMs);

  scope.addEventListener("message", (event) => {
    if (isWorkboxControlMessage(event.data)) return;
    if (host.receive(event.data)) holds.hold(event);
  });

  // Workers see connectivity changes too (while running): retry at once.
  scope.addEventListener("online", () => host.wake());

  // Runs at every worker start. There is no event to hold on to here; the
  // page heartbeat that (usually) caused the start extends the lifetime.
  const ready = host
    .resume()
    .then(() => host.announce())
    .catch((error: unknown) => options.logger?.error("resuming subscriptions failed", { error: String(error) }));

  return { host, ready };
}

/** workbox-window's `messageSkipWaiting()` sends this; it is not ours to count as malformed. */
function isWorkboxControlMessage(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "SKIP_WAITING" && !("v" in data);
}
