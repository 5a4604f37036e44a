/// <reference lib="webworker" />
import { channelName } from "../protocol/messages.js";
import { DEFAULT_LEASE_MS, type CacheHost } from "./host/cache-host.js";
import { createBrowserHost, type BrowserHostOptions } from "./host/browser-host.js";

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
 *   streams run, up to one lease (pages send a heartbeat well within it).
 * - Tokens received from pages are held in memory only.
 * - It does not call `skipWaiting` or `clients.claim`, and does not touch
 *   `fetch`: those are the host application's choices.
 */
export function hostPubCache(scope: ServiceWorkerGlobalScope, options: HostPubCacheOptions = {}): HostedPubCache {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const channel = new BroadcastChannel(channelName(options.databaseName));
  const { host } = createBrowserHost({ ...options, broadcast: (message) => channel.postMessage(message) });

  scope.addEventListener("message", (event) => {
    if (isWorkboxControlMessage(event.data)) return;
    if (!host.receive(event.data)) return;
    // Streams must be read inside an event's waitUntil, or the browser stops
    // an otherwise idle worker after 30 s even mid-stream. Each accepted
    // message (a heartbeat every few seconds) holds the worker until the
    // engines stop or one lease passes — by then the next heartbeat has
    // extended it again, so no single event stays pending for ever.
    event.waitUntil(Promise.race([host.whenIdle(), delay(leaseMs)]));
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
