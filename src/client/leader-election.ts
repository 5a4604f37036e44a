import type { Logger } from "../core/logger.js";
import type { BrowserHostOptions } from "../host/browser-host.js";
import type { ChannelHost } from "../host/channel-host.js";
import { holdLeaderLock, leaderLockName } from "../host/leader-lock.js";
import type { LeaderLeaseOptions } from "./leader-lease.js";

// The service worker hosts under the same lock (src/sw/host-pub-cache.ts).
export { LEADER_LOCK, leaderLockName } from "../host/leader-lock.js";

export interface LeaderCandidacy {
  /** True while this tab is the leader. */
  readonly isLeader: boolean;
  /** Steps down (releases the lock, stops the feeds) or withdraws from the queue. */
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
 * Where Web Locks are missing (a page that is not a secure context, such
 * as plain http on a name other than localhost; very old browsers) a lease
 * in IndexedDB elects the leader instead (`holdLeaderLease`, loaded only
 * then): still exactly one per database name, the next tab taking over at
 * once when the leader closes and within 5 s when it crashes or hangs; a
 * leader that finds its lease taken steps down at once.
 */
export function standForLeader(
  options: BrowserHostOptions & {
    logger?: Logger;
    onChange?: (isLeader: boolean) => void;
    /** Default `navigator.locks`; tests pass a fake. `null`: none (elect with a lease). */
    locks?: Pick<LockManager, "request"> | null;
    /** Without locks: the lease's clock, timers, database and channel (tests pass fakes). */
    lease?: Omit<LeaderLeaseOptions, "name">;
  },
): LeaderCandidacy {
  const withdraw = new AbortController();
  let isLeader = false;
  let stepDown: (() => void) | undefined;
  let done: Promise<void> = Promise.resolve();

  /** Hosts until resigned or, under a lease, until `lost` aborts (the lease went to another tab). */
  const lead = async (lost?: AbortSignal) => {
    isLeader = true;
    options.onChange?.(true);
    let hosting: ChannelHost | undefined;
    try {
      // The host (feeds, connect, storage writes) is most of the cache's
      // code and only a leader runs it: loaded here, it stays out of every
      // page's first load. Where a worker hosts the cache it is never loaded.
      const { openChannelHost } = await import("../host/channel-host.js");
      if (withdraw.signal.aborted || lost?.aborted) return;
      hosting = openChannelHost(options);
      await hosting.start();
      await new Promise<void>((resolve) => {
        stepDown = resolve;
        lost?.addEventListener("abort", () => resolve(), { once: true });
        if (withdraw.signal.aborted || lost?.aborted) resolve();
      });
    } finally {
      isLeader = false;
      options.onChange?.(false);
      await hosting?.close();
    }
  };

  const locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  if (locks) {
    done = holdLeaderLock(locks, options.databaseName, () => lead(), withdraw.signal).catch((error: unknown) => {
        if (!withdraw.signal.aborted) options.logger?.error("leader election failed", { error: String(error) });
      });
  } else {
    done = import("./leader-lease.js")
      .then(({ holdLeaderLease }) =>
        holdLeaderLease(
          { ...(options.logger && { logger: options.logger }), ...options.lease, name: leaderLockName(options.databaseName) },
          withdraw.signal,
          lead,
        ),
      )
      .catch((error: unknown) => {
        if (!withdraw.signal.aborted) options.logger?.error("leader election failed", { error: String(error) });
      });
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
