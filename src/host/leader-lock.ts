/** The Web Lock whose holder hosts the cache: the service worker, or a leader tab when no worker does. */
export const LEADER_LOCK = "pubcache:leader:v1";

/** The lock of one cache instance (see `channelName`). */
export const leaderLockName = (databaseName?: string) => (databaseName ? `${LEADER_LOCK}:${databaseName}` : LEADER_LOCK);
