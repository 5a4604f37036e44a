import { computed, getCurrentScope, shallowRef, toValue, watch, type ComputedRef, type MaybeRefOrGetter } from "vue";
import type { CacheError, CacheState, CachedValue, PubCacheClient, PublicationUpdate } from "../entries/index.js";
import { usePubCacheClient } from "./pub-cache-plugin.js";

/** What {@link usePublication} returns: read-only refs that follow one publication. */
export interface PublicationRefs {
  /** The latest value known (`value.value?.publication`), `undefined` until there is one. */
  readonly value: ComputedRef<CachedValue | undefined>;
  /** What the cache is doing to keep it fresh (`live`, `retrying`, …); `connecting` at first. */
  readonly state: ComputedRef<CacheState>;
  /** The latest problem the state does not show (e.g. an invalid publication), if any. */
  readonly error: ComputedRef<CacheError | undefined>;
  /** The whole update the three refs above are read from. */
  readonly update: ComputedRef<PublicationUpdate>;
}

/**
 * Follows publication `id` (a string, ref or getter; a new id moves the
 * subscription) and returns reactive `value`, `state` and `error`. The
 * stored value comes at once where there is one, then every change. The
 * subscription ends with the component (or the effect scope) it was created
 * in; call it in `setup` or inside an `effectScope`, otherwise it throws.
 *
 * ```ts
 * const { value, state } = usePublication("lobby-welcome");
 * ```
 *
 * `client` defaults to the provided one ({@link usePubCacheClient}).
 */
export function usePublication(id: MaybeRefOrGetter<string>, client?: PubCacheClient): PublicationRefs {
  if (!getCurrentScope()) {
    throw new Error("pubcache-web/vue: usePublication needs a component's setup() or an effectScope, which ends the subscription");
  }
  const cache = client ?? usePubCacheClient();
  const update = shallowRef(cache.peek(toValue(id)));
  // Runs now, again when the id changes, and its cleanup when the scope ends.
  watch(
    () => toValue(id),
    (current, _previous, onCleanup) => {
      update.value = cache.peek(current);
      onCleanup(cache.subscribe(current, (next) => (update.value = next)));
    },
    { immediate: true },
  );
  return {
    value: computed(() => update.value.value),
    state: computed(() => update.value.state),
    error: computed(() => update.value.lastError),
    update: computed(() => update.value),
  };
}
