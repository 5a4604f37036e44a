import { channelName, type ToPageMessage } from "../protocol/messages.js";
import { createBrowserHost, type BrowserHost, type BrowserHostOptions } from "./browser-host.js";
import type { CacheHost } from "./cache-host.js";

/** A cache host on the origin's BroadcastChannel; see {@link openChannelHost}. */
export interface ChannelHost {
  readonly host: CacheHost;
  readonly browserHost: BrowserHost;
  /**
   * Starts serving: pages on the channel are heard from now on, persisted
   * claims are resumed, `queued` messages (kept while waiting to host) are
   * handled, and pages are told a new host is there.
   */
  start(queued?: readonly unknown[]): Promise<void>;
  /** Posts on the channel as is (a message for whoever hosts now, while this one waits). */
  relay(message: unknown): void;
  /** Stops serving and closes the host (its feeds and database handle); the channel stays open for `relay`. */
  stop(): Promise<void>;
  /** {@link ChannelHost.stop}, and closes the channel. */
  close(): Promise<void>;
}

/**
 * The one assembly of the cache host that the service worker and the
 * leader tab share (each takes the leader lock first, `leader-lock.ts`):
 * open the cache's channel, build the browser host broadcasting on it,
 * serve the pages on it once started, resume, announce.
 */
export function openChannelHost(options: BrowserHostOptions): ChannelHost {
  const channel = new BroadcastChannel(channelName(options.databaseName));
  const browserHost = createBrowserHost({ ...options, broadcast: (message: ToPageMessage) => channel.postMessage(message) });
  const { host } = browserHost;
  let serving = false;
  let channelOpen = true;
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (serving) host.receive(event.data);
  };
  const stop = async () => {
    serving = false;
    await browserHost.close();
  };
  return {
    host,
    browserHost,
    async start(queued = []) {
      serving = true;
      await host.resume();
      for (const message of queued) host.receive(message);
      host.announce();
    },
    relay(message) {
      if (channelOpen) channel.postMessage(message);
    },
    stop,
    async close() {
      channelOpen = false;
      channel.close();
      await stop();
    },
  };
}
