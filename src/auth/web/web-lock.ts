import { silentLogger, type Logger } from "../../core/logger.js";
import type { AuthLock } from "../auth-lock.js";

/**
 * An {@link AuthLock} on the Web Locks API: exclusive across every tab and
 * worker of the origin, released by the browser when the holder's page goes
 * away. Where `navigator.locks` is missing (Safari before 15.4) it falls
 * back to a lock within this page only, and says so once: tabs may then
 * renew at the same moment and sign each other out.
 */
export function webLock(name: string, locks: Pick<LockManager, "request"> | undefined = globalThis.navigator?.locks, logger: Logger = silentLogger): AuthLock {
  if (locks) {
    return {
      run: <T>(work: () => Promise<T>, signal?: AbortSignal) => locks.request(name, { mode: "exclusive", ...(signal && { signal }) }, () => work()) as Promise<T>,
    };
  }
  logger.warn("auth: no Web Locks here; renewals are serialised within this tab only");
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const turn = tail.then(() => {
        if (signal?.aborted) throw new DOMException("withdrawn", "AbortError");
        return work();
      });
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
}
