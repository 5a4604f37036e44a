import { hasInjectionContext, inject, provide, type InjectionKey, type ObjectPlugin } from "vue";
import type { PubCacheClient } from "../entries/index.js";

/** Where the shared client is provided; use it with `inject` only if the helpers below do not fit. */
export const pubCacheClientKey: InjectionKey<PubCacheClient> = Symbol("pubcache-web client");

/**
 * Provides one client to the whole app: `app.use(pubCachePlugin(client))`.
 * The app does not own it: close it yourself if the app ends before the page does.
 */
export function pubCachePlugin(client: PubCacheClient): ObjectPlugin<[]> {
  return {
    install(app) {
      app.provide(pubCacheClientKey, client);
    },
  };
}

/** Provides a client to this component's descendants (call in `setup`), e.g. a second cache for one part of the page. */
export function providePubCache(client: PubCacheClient): void {
  provide(pubCacheClientKey, client);
}

/** The client provided by {@link pubCachePlugin} or {@link providePubCache}. Call in `setup`; throws when none is provided. */
export function usePubCacheClient(): PubCacheClient {
  const client = hasInjectionContext() ? inject(pubCacheClientKey, undefined) : undefined;
  if (!client) {
    throw new Error("pubcache-web/vue: no client here; install app.use(pubCachePlugin(client)) or call providePubCache(client) in a parent, inside setup()");
  }
  return client;
}
