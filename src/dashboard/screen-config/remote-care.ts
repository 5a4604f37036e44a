import { readStoredJson } from "./stored-json.js";

/**
 * Remote care through a screen's configuration: `reload`, `clearCache` and
 * `signOut` are tokens, and a token's new value is the command. Each value
 * is acted on once: the tokens acted on (or found when the screen first saw
 * a configuration) are stored before acting, so a reload cannot loop, not
 * even across the reload it causes; a fresh screen records the tokens it
 * finds without acting (a token that exists is not news).
 */
export type CareCommand = "reload" | "clearCache" | "signOut";

/** The token of each command last acted on (or recorded). */
export type CareTokens = Readonly<Partial<Record<CareCommand, string>>>;

/** Where the tokens acted on are kept (localStorage in the app: it survives the reload and a cleared cache). */
export interface CareTokenStore {
  /** `undefined`: this screen has never seen a configuration. */
  load(): CareTokens | undefined;
  /** Whether they were kept: a command that cannot be remembered is not acted on (it could repeat on every boot). */
  save(tokens: CareTokens): boolean;
}

/** What the screen does for each command; `token` is the value acted on (for the log). */
export interface CareActions {
  reload(token: string): void;
  clearCache(token: string): Promise<void>;
  signOut(token: string): Promise<void>;
  /**
   * Whether clearing now would leave the screen with something to show:
   * false while the server cannot be reached (the cleared publications could
   * not be fetched again). A clear is then postponed until this says yes.
   */
  canClearNow(): boolean;
  /** Something went wrong acting (logged; not retried: the token is spent). */
  failed(command: CareCommand, error: unknown): void;
}

/** What the screen does for the configuration's tokens, in this order (a reload last: it ends the page). */
const ORDER: readonly CareCommand[] = ["signOut", "clearCache", "reload"];

export class RemoteCare {
  constructor(
    private readonly store: CareTokenStore,
    private readonly actions: CareActions,
  ) {}

  /**
   * Acts on every token of `config` whose value is new. Call it with each
   * good configuration, and again when the screen comes back online (a
   * postponed clear). Returns the commands it acted on.
   */
  follow(config: CareTokens): CareCommand[] {
    const acted = this.store.load();
    if (acted === undefined) {
      this.store.save(pick(config));
      return [];
    }
    let tokens: CareTokens = acted;
    const done: CareCommand[] = [];
    for (const command of ORDER) {
      const token = config[command];
      if (token === undefined || token === acted[command]) continue;
      if (command === "clearCache" && !this.actions.canClearNow()) continue;
      // Spent before acting: whatever happens next (a reload, a crash), this value never acts again.
      const spent = { ...tokens, [command]: token };
      if (!this.store.save(spent)) continue;
      tokens = spent;
      done.push(command);
      this.#act(command, token);
    }
    return done;
  }

  #act(command: CareCommand, token: string): void {
    try {
      if (command === "reload") this.actions.reload(token);
      else void (command === "clearCache" ? this.actions.clearCache(token) : this.actions.signOut(token)).catch((error: unknown) => this.actions.failed(command, error));
    } catch (error) {
      this.actions.failed(command, error);
    }
  }
}

function pick(config: CareTokens): CareTokens {
  const tokens: Partial<Record<CareCommand, string>> = {};
  for (const command of ORDER) {
    const token = config[command];
    if (token !== undefined) tokens[command] = token;
  }
  return tokens;
}

/** A {@link CareTokenStore} in `storage` (localStorage) under `key`; a stored value that is not tokens reads as none. */
export function storageCareTokens(storage: Pick<Storage, "getItem" | "setItem">, key: string): CareTokenStore {
  return {
    load() {
      const value = readStoredJson(storage, key);
      if (typeof value !== "object" || value === null) return undefined;
      const tokens: Partial<Record<CareCommand, string>> = {};
      for (const command of ORDER) {
        const token = Object.hasOwn(value, command) ? (value as Record<string, unknown>)[command] : undefined;
        if (typeof token === "string") tokens[command] = token;
      }
      return tokens;
    },
    save(tokens) {
      try {
        storage.setItem(key, JSON.stringify(tokens));
        return true;
      } catch {
        return false;
      }
    },
  };
}
