import { createPubCacheClient, type PubCacheClient } from "../entries/index.js";
import { startDashboard } from "../dashboard/dashboard.js";
import { DEMO_PUBLICATION_IDS } from "../dashboard/titles.js";
import { readAppParams } from "./app-params.js";

/**
 * The kiosk dashboard (src/dashboard/) on the page client. The query string
 * is read by app-params.ts; without `ids` the page shows the demo
 * publications `npm start` seeds. `updateIdleMs` (test and demo only) sets
 * how long the screen must be untouched before a new build restarts it.
 * `window.pubcacheApp` is a test and debugging hook: the client, the
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

const ids = params.ids.length > 0 ? params.ids : DEMO_PUBLICATION_IDS;
const updateIdleMs = Number(new URLSearchParams(location.search).get("updateIdleMs"));
startDashboard({
  client,
  ids,
  source: { device: params.device, server: params.server },
  ...(updateIdleMs > 0 && { updateIdleMs }),
  ...(params.pageMs !== undefined && { pageMs: params.pageMs }),
});

const history: Record<string, string[]> = {};
for (const id of ids) {
  history[id] = [];
  client.subscribe(id, (update) => {
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
