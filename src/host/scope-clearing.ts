import type { Logger } from "../core/logger.js";
import { inScope } from "../protocol/ref-keys.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";
import type { ClaimBook } from "./claim-book.js";
import type { FeedPool } from "./feed-pool.js";
import type { SubscriptionRegistry } from "./host-types.js";

/** What wiping one scope needs. */
export interface ScopeClearing {
  readonly feeds: FeedPool;
  readonly book: ClaimBook;
  readonly subscriptions: SubscriptionRegistry | undefined;
  /** Wipes the stored values of the scope. */
  readonly clearStorage: (scope: RefScope) => Promise<void>;
  readonly logger: Logger;
  /** Writes a ref to the registry again (logged on failure). */
  readonly persist: (ref: PublicationRef) => void;
}

/**
 * The `clear` message: stops the scope's writers first (so nothing re-stores
 * a value after the wipe), wipes its stored values and persisted claims, and
 * follows again, from an empty cache, what tabs still claim. Resolves to
 * `false` when the wipe failed (logged; pages are not told it is done).
 */
export async function clearScope(parts: ScopeClearing, scope: RefScope): Promise<boolean> {
  const affected = parts.feeds.all().filter((followed) => inScope(followed.ref, scope));
  for (const followed of affected) parts.feeds.release(followed);
  try {
    await parts.subscriptions?.clearScope(scope);
    await parts.clearStorage(scope);
  } catch (error) {
    parts.logger.error("clear failed", { error: String(error) });
    return false;
  }
  for (const followed of affected) {
    if (parts.book.holders(followed.ref) > 0) {
      parts.feeds.follow(followed.ref, undefined, false);
      parts.persist(followed.ref);
    }
  }
  return true;
}
