import type { TokenProvider } from "../entries/auth.js";
import type { PubCacheClient } from "../entries/index.js";
import type { Dashboard } from "../dashboard/dashboard.js";
import { followScreenConfig, screenConfigId, storageLastGoodConfig } from "../dashboard/screen-config/config-follower.js";
import { RemoteCare, storageCareTokens } from "../dashboard/screen-config/remote-care.js";
import type { ScreenConfig } from "../dashboard/screen-config/screen-config.js";

export interface ConfiguredScreenOptions {
  readonly client: PubCacheClient;
  readonly dashboard: Dashboard;
  /** This screen's Smart Core name (`?screen=`). */
  readonly screen: string;
  /** What the cache is keyed by besides the screen: its configuration and tokens are kept per server and device. */
  readonly scope: { readonly server: string; readonly device: string };
  /** What to show when the configuration names nothing (`show` missing): the page's `ids`, else the demo's. */
  readonly defaultIds: readonly string[];
  /** The screen's sign-in, once known (signOut needs it). */
  readonly auth: () => TokenProvider | undefined;
}

/**
 * A named screen run by its `<screen>:config` publication: what it shows and
 * how it pages (config-follower.ts drives the dashboard), and remote care
 * (remote-care.ts: reload, clear the cache, sign out — each new token once).
 * The configuration itself is never a card.
 */
export function runConfiguredScreen(options: ConfiguredScreenOptions): void {
  const { client, dashboard, screen } = options;
  const ownId = screenConfigId(screen);
  const key = (what: string) => `pubcache:${what}:${JSON.stringify([options.scope.server, options.scope.device, screen])}`;
  let reachable = false;
  let config: ScreenConfig | undefined;

  const care = new RemoteCare(storageCareTokens(localStorage, key("screen-care")), {
    reload(token) {
      console.info(`screen care: reloading (${token})`);
      location.reload();
    },
    clearCache(token) {
      console.info(`screen care: clearing the cache (${token})`);
      return client.clear();
    },
    async signOut(token) {
      console.info(`screen care: signing out (${token})`);
      await options.auth()?.signOut();
    },
    // Offline, a cleared cache could not be filled again: the screen would go blank.
    canClearNow: () => reachable && navigator.onLine,
    failed: (command, error) => console.warn(`screen care: ${command} failed: ${error instanceof Error ? error.message : String(error)}`),
  });

  followScreenConfig({
    client,
    screen,
    lastGood: storageLastGoodConfig(localStorage, key("screen-config")),
    onConfig(next, origin) {
      dashboard.configure(next);
      dashboard.show((next.show ?? options.defaultIds).filter((id) => id !== ownId));
      // The defaults carry no commands, and are not "a configuration seen" (its tokens would then look new).
      if (origin === "defaults") return;
      config = next;
      care.follow(next);
    },
    onUpdate(update) {
      const answered = update.state.kind === "live" || update.state.kind === "polling";
      // Back in touch with the server: a clear postponed while offline may go ahead now.
      if (answered && !reachable && config) {
        reachable = true;
        care.follow(config);
      }
      reachable = answered;
    },
    onRejected: (version, reason) => console.warn(`${ownId} version ${version} refused: ${reason}; keeping the last good configuration`),
  });
  addEventListener("online", () => config && reachable && care.follow(config));
}
