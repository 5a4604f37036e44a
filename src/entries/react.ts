/**
 * `pubcache-web/react` — React bindings of the page client: a provider for
 * one shared client, and `usePublication(id)` on `useSyncExternalStore`.
 *
 * ```tsx
 * const client = createPubCacheClient({ server, device });
 * root.render(<PubCacheProvider client={client}><App /></PubCacheProvider>);
 * // in a component:
 * const { value, state, error } = usePublication("lobby-welcome");
 * ```
 *
 * @packageDocumentation
 */
export { PubCacheProvider, usePubCacheClient, type PubCacheProviderProps } from "../react/pub-cache-provider.js";
export { usePublication, type PublicationView } from "../react/use-publication.js";

// The page client's types that these signatures use, and the receipt values.
export * from "./shared/page-client-exports.js";
