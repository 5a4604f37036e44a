/** The Web Lock whose holder hosts the cache: the service worker, or a leader tab when no worker does. */
export const LEADER_LOCK = "pubcache:leader:v1";

/** The lock of one cache instance (see `channelName`). */
export const leaderLockName = (databaseName?: string) => (databaseName ? `${LEADER_LOCK}:${databaseName}` : LEADER_LOCK);

/**
 * Takes the leader lock of a cache and holds it while `hold` runs: the
 * browser releases it when `hold` settles, or when the holder (a tab, a
 * worker) goes away. Resolves when the lock is released (or the request is
 * withdrawn through `signal`).
 */
export function holdLeaderLock(
  locks: Pick<LockManager, "request">,
  databaseName: string | undefined,
  hold: () => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  return locks.request(leaderLockName(databaseName), signal ? { signal } : {}, hold).then(() => undefined);
}
