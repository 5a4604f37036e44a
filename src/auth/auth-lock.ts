/**
 * Mutual exclusion for renewing one sign-in, across every tab of the origin
 * (a Web Lock in browsers: `web/web-lock.ts`). It matters: the identity
 * provider rotates refresh tokens and, when a spent one comes back, revokes
 * the whole sign-in — two tabs renewing with the same token at once would
 * sign every screen out.
 */
export interface AuthLock {
  /**
   * Runs `work` while holding the lock; resolves or rejects with it. A
   * request still waiting when `signal` aborts is withdrawn (rejects with an
   * AbortError).
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}
