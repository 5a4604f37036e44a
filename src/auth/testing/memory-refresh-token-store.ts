import type { RefreshTokenStore, StoredSignIn } from "../refresh-token-store.js";

/**
 * A {@link RefreshTokenStore} in a plain object, shared by the "tabs" of a
 * spec the way IndexedDB is shared by an origin's tabs. `failSaves` makes
 * saves throw (a full disk).
 */
export class MemoryRefreshTokenStore implements RefreshTokenStore {
  #token: string | undefined;
  #generation = 0;
  saves = 0;
  failSaves = false;

  async load(): Promise<StoredSignIn | undefined> {
    return this.#token === undefined ? undefined : { refreshToken: this.#token, generation: this.#generation };
  }

  async save(refreshToken: string): Promise<number> {
    if (this.failSaves) throw new DOMException("the disk is full", "QuotaExceededError");
    this.saves += 1;
    this.#token = refreshToken;
    return ++this.#generation;
  }

  async clear(): Promise<void> {
    this.#token = undefined;
  }

  /** What is stored right now (for assertions). */
  get stored(): string | undefined {
    return this.#token;
  }
}
