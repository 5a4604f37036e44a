import type { Logger } from "../core/logger.js";
import { channelName } from "../protocol/messages.js";
import type { BrowserHost, BrowserHostOptions } from "../host/browser-host.js";
import { leaderLockName } from "../host/leader-lock.js";

// The service worker hosts under the same lock (src/sw/host-pub-cache.ts).
export { LEADER_LOCK, leaderLockName } from "../host/leader-lock.js";

export interface LeaderCandidacy {
  /** True while this tab is the leader. */
  readonly isLeader: boolean;
  /** Steps down (releases the lock, stops the engines) or withdraws from the queue. */
  resign(): Promise<void>;
}

/**
 * Queues this tab for leadership with `navigator.locks`. Exactly one tab
 * holds the lock; it runs the same cache host as the service worker, talking
 * to every tab (itself included) over the BroadcastChannel. When the leader
 * closes or crashes the browser releases the lock and the next tab in the
 * queue takes over at once, resuming every persisted subscription from
 * storage, so no tab ever opens its own stream.
 *
 * Where Web Locks are missing (very old browsers) every tab would lead;
 * rather than one stream per tab we then lead alone, which is the only
 * choice that still shows data — documented as a limitation.
 */
export function standForLeader(
  options: BrowserHostOptions & {
    logger?: Logger;
    onChange?: (isLeader: boolean) => void;
    /** Default `navigator.locks`; tests pass a fake. `null`: none (lead alone). */
    locks?: Pick<LockManager, "request"> | null;
  },
): LeaderCandidacy {
  const withdraw = new AbortController();
  let isLeader = false;
  let stepDown: (() => void) | undefined;
  let done: Promise<void> = Promise.resolve();

  const lead = async () => {
    isLeader = true;
    options.onChange?.(true);
    let channel: BroadcastChannel | undefined;
    let browserHost: BrowserHost | undefined;
    try {
      // The host (engines, connect, storage writes) is most of the cache's
      // code and only a leader runs it: loaded here, it stays out of every
      // page's first load. Where a worker hosts the cache it is never loaded.
      const { createBrowserHost } = await import("../host/browser-host.js");
      if (withdraw.signal.aborted) return;
      const open = new BroadcastChannel(channelName(options.databaseName));
      channel = open;
      const started = createBrowserHost({ ...options, broadcast: (message) => open.postMessage(message) });
      browserHost = started;
      open.onmessage = (event: MessageEvent<unknown>) => void started.host.receive(event.data);
      await started.host.resume();
      started.host.announce();
      await new Promise<void>((resolve) => {
        stepDown = resolve;
        if (withdraw.signal.aborted) resolve();
      });
    } finally {
      isLeader = false;
      options.onChange?.(false);
      channel?.close();
      await browserHost?.close();
    }
  };

  const locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  if (locks) {
    done = locks
      .request(leaderLockName(options.databaseName), { signal: withdraw.signal }, lead)
      .then(() => undefined)
      .catch((error: unknown) => {
        if (!withdraw.signal.aborted) options.logger?.error("leader election failed", { error: String(error) });
      });
  } else {
    done = lead();
  }

  return {
    get isLeader() {
      return isLeader;
    },
    async resign() {
      withdraw.abort();
      stepDown?.();
      await done;
    },
  };
}
