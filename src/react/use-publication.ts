import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { CacheError, CacheState, CachedValue, PublicationUpdate } from "../entries/index.js";
import { usePubCacheClient } from "./pub-cache-provider.js";

/** What {@link usePublication} returns; a new object only when the publication's update changes. */
export interface PublicationView {
  /** The latest value known (`value?.publication`), `undefined` until there is one. */
  readonly value: CachedValue | undefined;
  /** What the cache is doing to keep it fresh (`live`, `retrying`, …); `connecting` at first. */
  readonly state: CacheState;
  /** The latest problem the state does not show (e.g. an invalid publication), if any. */
  readonly error: CacheError | undefined;
  /** The whole update the fields above come from. */
  readonly update: PublicationUpdate;
}

/**
 * Follows publication `id` through the client of the nearest
 * `PubCacheProvider`: the stored value at once where there is one, then
 * every change. Built on `useSyncExternalStore` over the client's
 * synchronous `peek(id)`, so concurrent rendering never tears. The
 * subscription ends when the component unmounts or `id` changes.
 *
 * ```tsx
 * const { value, state } = usePublication("lobby-welcome");
 * ```
 */
export function usePublication(id: string): PublicationView {
  const client = usePubCacheClient();
  const subscribe = useCallback((onChange: () => void) => client.subscribe(id, onChange), [client, id]);
  const snapshot = useCallback(() => client.peek(id), [client, id]);
  const update = useSyncExternalStore(subscribe, snapshot, snapshot);
  return useMemo(() => ({ value: update.value, state: update.state, error: update.lastError, update }), [update]);
}
