import type { PubCacheClient, PublicationUpdate } from "../../entries/index.js";
import { DEFAULT_SCREEN_CONFIG, parseScreenConfig, type ScreenConfig } from "./screen-config.js";
import { readStoredJson } from "./stored-json.js";

/** The Smart Core name of a screen's configuration publication. */
export function screenConfigId(screen: string): string {
  return `${screen}:config`;
}

/** Where the last good configuration is kept (localStorage in the app), for when the cached one is not good. */
export interface LastGoodConfigStore {
  load(): ScreenConfig | undefined;
  save(config: ScreenConfig): void;
}

export interface ConfigFollowerOptions {
  readonly client: PubCacheClient;
  readonly screen: string;
  readonly lastGood: LastGoodConfigStore;
  /**
   * The configuration to run: the last good one at once (if any, `stored`), then each good
   * version (`publication`); the defaults (`defaults`) when the server has none for the screen.
   */
  readonly onConfig: (config: ScreenConfig, origin: ConfigOrigin) => void;
  /** Every update of the configuration publication (its state too: online again, for a postponed clear). */
  readonly onUpdate?: (update: PublicationUpdate) => void;
  /** A version was refused, with why (also sent as a REJECTED receipt). */
  readonly onRejected?: (version: string, reason: string) => void;
}

/** Where a configuration run came from: only a publication (or its stored copy) carries commands. */
export type ConfigOrigin = "stored" | "publication" | "defaults";

/**
 * How long a screen with no configuration known waits for one before running the defaults: the
 * host may say it is in touch with the server a moment before the publication's value arrives.
 */
export const DEFAULTS_GRACE_MS = 3_000;

export interface ConfigFollower {
  /** The configuration running now. */
  current(): ScreenConfig | undefined;
  /** Why the latest version was refused, while it is the latest. */
  rejection(): { readonly version: string; readonly reason: string } | undefined;
  stop(): void;
}

/**
 * Follows a named screen's `<screen>:config` publication like any other
 * (cached in IndexedDB by the host, so a screen booting offline reads it
 * first from there) and runs what it says. Each version is parsed once and
 * acknowledged: ACCEPTED when it runs, REJECTED with the parser's reason
 * when it cannot, and the screen then keeps the configuration it had. The
 * last good one is also kept apart (`lastGood`), since the cached
 * publication may be the refused version; it is also what a screen starts
 * with before the cache answers. When the server answers and has no
 * configuration for the screen, the defaults run.
 */
export function followScreenConfig(options: ConfigFollowerOptions): ConfigFollower {
  const { client } = options;
  const id = screenConfigId(options.screen);
  let current = options.lastGood.load();
  let rejection: { version: string; reason: string } | undefined;
  let parsedVersion: string | undefined;
  const decoder = new TextDecoder();
  let defaultsTimer: ReturnType<typeof setTimeout> | undefined;
  if (current) options.onConfig(current, "stored");

  const unsubscribe = client.subscribe(id, (update) => {
    const publication = update.value?.publication;
    if (!publication) {
      // The server answered and has none: the defaults, unless a good one is known.
      if (!current && update.state.kind !== "connecting" && defaultsTimer === undefined) {
        defaultsTimer = setTimeout(() => void (current ?? run(DEFAULT_SCREEN_CONFIG, "defaults")), DEFAULTS_GRACE_MS);
      }
    } else if (publication.version !== parsedVersion) {
      parsedVersion = publication.version;
      const result = parseScreenConfig(decoder.decode(publication.body));
      if (result.ok) {
        rejection = undefined;
        options.lastGood.save(result.config);
        run(result.config, "publication");
        client.acknowledge(id, "accepted", { version: publication.version });
      } else {
        rejection = { version: publication.version, reason: result.reason };
        options.onRejected?.(publication.version, result.reason);
        client.acknowledge(id, "rejected", { version: publication.version, reason: result.reason });
        if (!current) run(DEFAULT_SCREEN_CONFIG, "defaults");
      }
    } else {
      // The same version again (the server's echo of a receipt, a re-publish with NO_SIGNAL): say it again if asked.
      if (rejection) client.acknowledge(id, "rejected", { version: publication.version, reason: rejection.reason });
      else client.acknowledge(id, "accepted", { version: publication.version });
    }
    options.onUpdate?.(update);
  });

  function run(config: ScreenConfig, origin: ConfigOrigin) {
    // Defaults are a stand-in: the first real configuration still replaces them.
    current = origin === "defaults" ? undefined : config;
    options.onConfig(config, origin);
  }

  return {
    current: () => current,
    rejection: () => rejection,
    stop() {
      clearTimeout(defaultsTimer);
      unsubscribe();
    },
  };
}

/** A {@link LastGoodConfigStore} in `storage` (localStorage) under `key`; what does not parse as a configuration reads as none. */
export function storageLastGoodConfig(storage: Pick<Storage, "getItem" | "setItem">, key: string): LastGoodConfigStore {
  return {
    load() {
      const value = readStoredJson(storage, key);
      return isConfig(value) ? value : undefined;
    },
    save(config) {
      try {
        storage.setItem(key, JSON.stringify(config));
      } catch {
        // Full or refused: the cached publication still holds it while it is the latest.
      }
    },
  };
}

function isConfig(value: unknown): value is ScreenConfig {
  if (typeof value !== "object" || value === null) return false;
  const config = value as Partial<Record<keyof ScreenConfig, unknown>>;
  return (
    typeof config.pageMs === "number" &&
    typeof config.partMs === "number" &&
    (config.show === undefined || (Array.isArray(config.show) && config.show.every((id) => typeof id === "string"))) &&
    ["light", "dark", "auto"].includes(config.theme as string)
  );
}
