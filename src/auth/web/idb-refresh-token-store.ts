import { wrap, type DBSchema, type IDBPDatabase } from "idb";
import { silentLogger, type Logger } from "../../core/logger.js";
import type { RefreshTokenStore, StoredSignIn } from "../refresh-token-store.js";

/** The database that holds sign-ins, apart from the publication cache (whose `clear()` must not sign a screen out). */
export const AUTH_DB_NAME = "pubcache-auth";
const AUTH_DB_VERSION = 1;
const KEY_ID = "refresh-token-wrapping-key";

/** One sign-in: the refresh token encrypted (AES-GCM, 96-bit random IV), or none, and how often it was replaced. */
interface SignInRecord {
  readonly id: string;
  readonly iv?: Uint8Array;
  readonly ciphertext?: ArrayBuffer;
  /** Never repeats for an id, even across `clear()`: tabs compare generations. */
  readonly generation: number;
}

interface AuthDB extends DBSchema {
  /** The wrapping key, a non-extractable CryptoKey object (structured-cloned by the browser, never raw bytes we wrote). */
  keys: { key: string; value: CryptoKey };
  "sign-ins": { key: string; value: SignInRecord };
}

export interface IdbRefreshTokenStoreOptions {
  /** Which sign-in this is (identity provider and client): records of other sign-ins are untouched. Not secret. */
  readonly signInId: string;
  /** Default {@link AUTH_DB_NAME}. */
  readonly databaseName?: string;
  /** Default the global `indexedDB`. */
  readonly factory?: IDBFactory;
  /** Default the global `crypto` (WebCrypto: secure contexts only — https or localhost). */
  readonly crypto?: Crypto;
  readonly logger?: Logger;
}

/** Raised when this browser context cannot keep a refresh token safely (no WebCrypto: not a secure context). */
export class SecretStoreUnavailableError extends Error {
  override readonly name = "SecretStoreUnavailableError";
}

/**
 * A {@link RefreshTokenStore} in IndexedDB that never holds the refresh
 * token in plain text: it is encrypted with AES-GCM under a key generated
 * by WebCrypto as **non-extractable** and kept as a `CryptoKey` object in
 * the same database (scripts can use it, not read it). The record's id is
 * the additional authenticated data, so a ciphertext copied onto another
 * sign-in's record does not decrypt. A save replaces the record in one
 * strict-durability transaction: the old refresh token is gone once the new
 * one is on disk, never before.
 */
export function idbRefreshTokenStore(options: IdbRefreshTokenStoreOptions): RefreshTokenStore {
  const { signInId } = options;
  const logger = options.logger ?? silentLogger;
  const name = options.databaseName ?? AUTH_DB_NAME;
  const aad = new TextEncoder().encode(`pubcache-auth/v1/${signInId}`);
  let opening: Promise<IDBPDatabase<AuthDB>> | undefined;

  const subtle = () => {
    const crypto = options.crypto ?? globalThis.crypto;
    if (!crypto?.subtle) throw new SecretStoreUnavailableError("WebCrypto is unavailable here (not a secure context): the sign-in cannot be kept");
    return { crypto, subtle: crypto.subtle };
  };

  function database(): Promise<IDBPDatabase<AuthDB>> {
    opening ??= openAuthDatabase(options.factory ?? globalThis.indexedDB, name).then((db) => {
      // Let a newer version of the app upgrade; the next call reopens.
      db.addEventListener("versionchange", () => {
        db.close();
        opening = undefined;
      });
      db.addEventListener("close", () => void (opening = undefined));
      return db;
    });
    opening.catch(() => (opening = undefined));
    return opening;
  }

  /** The wrapping key, created (non-extractable) on first use. */
  async function wrappingKey(db: IDBPDatabase<AuthDB>): Promise<CryptoKey> {
    const existing = await db.get("keys", KEY_ID);
    if (existing) return existing;
    const key = await subtle().subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    try {
      await db.add("keys", key, KEY_ID);
      return key;
    } catch (error) {
      // Another tab created it first: use theirs.
      const theirs = await db.get("keys", KEY_ID);
      if (theirs) return theirs;
      throw error;
    }
  }

  async function forgetRecord(db: IDBPDatabase<AuthDB>) {
    const tx = db.transaction("sign-ins", "readwrite", { durability: "strict" });
    const previous = await tx.store.get(signInId);
    if (previous?.ciphertext) await tx.store.put({ id: signInId, generation: previous.generation });
    await tx.done;
  }

  return {
    async load(): Promise<StoredSignIn | undefined> {
      const db = await database();
      const tx = db.transaction(["keys", "sign-ins"], "readonly");
      const [key, record] = await Promise.all([tx.objectStore("keys").get(KEY_ID), tx.objectStore("sign-ins").get(signInId)]);
      if (!record?.ciphertext || !record.iv) return undefined;
      try {
        if (!key) throw new Error("no wrapping key");
        const plain = await subtle().subtle.decrypt({ name: "AES-GCM", iv: record.iv as Uint8Array<ArrayBuffer>, additionalData: aad }, key, record.ciphertext);
        return { refreshToken: new TextDecoder().decode(plain), generation: record.generation };
      } catch (error) {
        if (error instanceof SecretStoreUnavailableError) throw error;
        // A lost key or a damaged record can never decrypt: forget it, so the screen signs in afresh.
        logger.warn("auth store: the stored sign-in cannot be decrypted; forgetting it", { error: error instanceof Error ? error.name : "unknown" });
        await forgetRecord(db);
        return undefined;
      }
    },

    async save(refreshToken: string): Promise<number> {
      const { crypto, subtle: webCrypto } = subtle();
      const db = await database();
      const key = await wrappingKey(db);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await webCrypto.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, new TextEncoder().encode(refreshToken));
      // Encrypted before the transaction opens: an IndexedDB transaction ends at the first await of anything else.
      const tx = db.transaction("sign-ins", "readwrite", { durability: "strict" });
      const generation = ((await tx.store.get(signInId))?.generation ?? 0) + 1;
      await tx.store.put({ id: signInId, iv, ciphertext, generation });
      await tx.done;
      return generation;
    },

    async clear(): Promise<void> {
      await forgetRecord(await database());
    },
  };
}

/** Opens (creating or upgrading) the auth database on `factory`. */
function openAuthDatabase(factory: IDBFactory, name: string): Promise<IDBPDatabase<AuthDB>> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, AUTH_DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys");
      if (!db.objectStoreNames.contains("sign-ins")) db.createObjectStore("sign-ins", { keyPath: "id" });
    };
    request.onsuccess = () => resolve(wrap(request.result) as unknown as IDBPDatabase<AuthDB>);
    request.onerror = () => reject(request.error ?? new Error(`cannot open ${name}`));
    request.onblocked = () => reject(new DOMException(`opening ${name} is blocked by another tab`, "InvalidStateError"));
  });
}
