/**
 * `pubcache-web/vue` — Vue 3 bindings of the page client: one shared client
 * for the app, and `usePublication(id)` in components.
 *
 * ```ts
 * app.use(pubCachePlugin(createPubCacheClient({ server, device })));
 * // in a component's setup():
 * const { value, state, error } = usePublication("lobby-welcome");
 * ```
 *
 * @packageDocumentation
 */
export { pubCachePlugin, providePubCache, usePubCacheClient, pubCacheClientKey } from "../vue/pub-cache-plugin.js";
export { usePublication, type PublicationRefs } from "../vue/use-publication.js";

// The page client's types that these signatures use, and the receipt values.
export * from "./shared/page-client-exports.js";
