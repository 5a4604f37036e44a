import { createContext, createElement, useContext, type ReactElement, type ReactNode } from "react";
import type { PubCacheClient } from "../entries/index.js";

const ClientContext = createContext<PubCacheClient | null>(null);
ClientContext.displayName = "PubCacheClient";

/** Props of {@link PubCacheProvider}. */
export interface PubCacheProviderProps {
  /** The one client of the page, created once (outside rendering) with `createPubCacheClient`. */
  readonly client: PubCacheClient;
  readonly children?: ReactNode;
}

/**
 * Gives the components below one shared client. The provider does not own
 * it: create it once per page (module scope is fine) and close it yourself
 * if ever.
 */
export function PubCacheProvider({ client, children }: PubCacheProviderProps): ReactElement {
  return createElement(ClientContext.Provider, { value: client }, children);
}

/** The client of the nearest {@link PubCacheProvider}; throws when there is none. */
export function usePubCacheClient(): PubCacheClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("pubcache-web/react: no client here; wrap the tree in <PubCacheProvider client={…}>");
  return client;
}
