import { createPubCacheClient, type PubCacheClient } from "../client/index.js";
import { readAppParams } from "./app-params.js";
import { createPublicationView } from "./publication-view.js";

/**
 * The plain page the end-to-end tests drive (see app-params.ts for the query
 * string). `window.pubcacheApp` is a test and debugging hook: the client, the
 * versions each id has shown in order, and a way to hand over a token later.
 */
declare global {
  interface Window {
    pubcacheApp: {
      client: PubCacheClient;
      history: Record<string, string[]>;
      setToken(token: string): Promise<void>;
    };
  }
}

const params = readAppParams(location.search, location.origin);
let token = params.token;

const client = createPubCacheClient({
  server: params.server,
  device: params.device,
  partition: params.partition,
  serviceWorker: params.useServiceWorker ? new URL("./sw.js", document.baseURI) : false,
  getToken: () => token,
  ...(params.tuning && { tuning: params.tuning }),
  ...(params.heartbeatMs && { heartbeatMs: params.heartbeatMs }),
});

const history: Record<string, string[]> = {};
const list = document.getElementById("publications") as HTMLElement;
for (const id of params.ids) {
  const view = createPublicationView(id);
  list.append(view.element);
  history[id] = [];
  client.subscribe(id, (update) => {
    view.render(update);
    const version = update.value?.publication.version;
    const seen = history[id] ?? [];
    if (version !== undefined && seen.at(-1) !== version) seen.push(version);
  });
}

window.pubcacheApp = {
  client,
  history,
  async setToken(next) {
    token = next;
    await client.credentialsChanged();
  },
};
