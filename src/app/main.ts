import { createPubCacheClient, type PubCacheClient } from "../entries/index.js";
import type { TokenProvider } from "../entries/auth.js";
import { startDashboard } from "../dashboard/dashboard.js";
import { createSignInOverlay } from "../dashboard/sign-in-overlay.js";
import { DEMO_PUBLICATION_IDS } from "../dashboard/titles.js";
import { readAppParams } from "./app-params.js";
import { runConfiguredScreen } from "./configured-screen.js";

/**
 * The kiosk dashboard (src/dashboard/) on the page client. The query string
 * is read by app-params.ts; without `ids` the page shows the demo
 * publications `npm start` seeds. A named screen (`screen=`) shows what its
 * `<screen>:config` publication says (configured-screen.ts). `updateIdleMs` (test and demo only) sets
 * how long the screen must be untouched before a new build restarts it.
 * `window.pubcacheApp` is a test and debugging hook: the client, the
 * versions each id has shown in order, a way to hand over a token later, and
 * the screen's sign-in (auth-setup.ts: the deployment's config document, or
 * URL parameters in tests) once it is known.
 */
declare global {
  interface Window {
    pubcacheApp: {
      client: PubCacheClient;
      history: Record<string, string[]>;
      setToken(token: string): Promise<void>;
      auth: TokenProvider | undefined;
    };
  }
}

const params = readAppParams(location.search, location.origin);
let token = params.token;
let auth: TokenProvider | undefined;
/** Told of every change of the screen's sign-in (the dashboard re-words itself at once). */
const signInListeners = new Set<() => void>();

const client = createPubCacheClient({
  server: params.server,
  device: params.device,
  partition: params.partition,
  serviceWorker: params.useServiceWorker ? new URL("./sw.js", document.baseURI) : false,
  getToken: (server) => token ?? auth?.getToken(server),
  ...(params.tuning && { tuning: params.tuning }),
  ...(params.heartbeatMs && { heartbeatMs: params.heartbeatMs }),
  // The cards acknowledge once a body is really on screen (or cannot be): see the dashboard.
  ...(params.screen && { screen: params.screen, receipts: "manual" as const }),
});

// The fleet view follows the whole device, no publication of its own. A named screen without `ids`
// starts with no cards: its configuration (stored, else from the server, else the defaults) says what
// it shows; with `ids` it starts with those until its configuration says otherwise.
const defaultIds = params.ids.length > 0 ? params.ids : DEMO_PUBLICATION_IDS;
const configured = params.view === "dashboard" && params.screen !== undefined;
const ids = params.view === "fleet" || (configured && params.ids.length === 0) ? [] : defaultIds;
const updateIdleMs = Number(new URLSearchParams(location.search).get("updateIdleMs"));
// `?view=fleet`: which screen shows which version (loaded only on that page).
if (params.view === "fleet") {
  void import("../dashboard/fleet/fleet-view.js").then(({ startFleetView }) =>
    startFleetView({ client, source: { device: params.device, server: params.server } }),
  );
} else {
  const dashboard = startDashboard({
    client,
    ids,
    source: { device: params.device, server: params.server },
    // The screen's own sign-in waits for a person: say so at once, not once the server has refused a call.
    signInNeeded: () => token === undefined && (auth?.state.kind === "signing-in" || auth?.state.kind === "waiting-for-user"),
    onSignInChange: (listener) => signInListeners.add(listener),
    ...(updateIdleMs > 0 && { updateIdleMs }),
    ...(params.pageMs !== undefined && { pageMs: params.pageMs }),
  });
  // `?screen=`: the screen's `<screen>:config` publication says what it shows, how it pages, and when to reload.
  if (configured) {
    runConfiguredScreen({
      client,
      dashboard,
      screen: params.screen,
      scope: { server: params.server, device: params.device },
      defaultIds,
      auth: () => auth,
    });
  }
}
// Over the cards, never instead of them: the sign-in code, or "signed in but not allowed".
const signInOverlay = createSignInOverlay({ client, ids });
document.body.append(signInOverlay.element);
// The sign-in code loads on its own (a lazy chunk): a screen with a fixed test token never needs it.
if (token === undefined) {
  void import("./sign-in.js").then(({ startSignIn }) =>
    startSignIn({
      client,
      server: params.server,
      overlay: signInOverlay,
      onProvider(provider) {
        auth = provider;
        window.pubcacheApp.auth = provider;
        const tell = () => {
          for (const listener of signInListeners) listener();
        };
        provider.subscribe(tell);
        tell();
      },
    }),
  );
}

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
  auth: undefined,
};
