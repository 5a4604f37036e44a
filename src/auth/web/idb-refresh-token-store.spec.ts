import { IDBFactory } from "fake-indexeddb";
import { wrap, type IDBPDatabase } from "idb";
import { describe, expect, it } from "vitest";
import { recordingLogger } from "../testing/recording-logger.js";
import { AUTH_DB_NAME, idbRefreshTokenStore, SecretStoreUnavailableError } from "./idb-refresh-token-store.js";

// Node's WebCrypto and fake-indexeddb here; e2e/auth-*.e2e.ts proves the same in Chromium.
const TOKEN = "rt-5d1c0e9a-must-never-be-stored-plainly";

/** The auth database opened directly (not through the store). */
function openRaw(factory: IDBFactory): Promise<IDBPDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(AUTH_DB_NAME);
    request.onsuccess = () => resolve(wrap(request.result));
    request.onerror = () => reject(request.error);
  });
}

/** Everything in the auth database, raw, as one string (bytes as latin1). */
async function dump(factory: IDBFactory): Promise<{ text: string; keys: unknown[]; records: Array<Record<string, unknown>> }> {
  const db = await openRaw(factory);
  const keys = await db.getAll("keys");
  const records = (await db.getAll("sign-ins")) as Array<Record<string, unknown>>;
  db.close();
  const text = JSON.stringify(records, (_k, v: unknown) =>
    v instanceof ArrayBuffer || v instanceof Uint8Array ? Buffer.from(v instanceof ArrayBuffer ? new Uint8Array(v) : v).toString("latin1") : v,
  );
  return { text, keys, records };
}

describe("refresh tokens in IndexedDB, wrapped with a non-extractable AES-GCM key", () => {
  it("round-trips, and the database holds the ciphertext and a CryptoKey the script cannot export", async () => {
    const factory = new IDBFactory();
    const store = idbRefreshTokenStore({ signInId: "idp#dashboard", factory });
    expect(await store.load()).toBeUndefined();
    expect(await store.save(TOKEN)).toBe(1);
    expect(await store.load()).toEqual({ refreshToken: TOKEN, generation: 1 });

    const { text, keys, records } = await dump(factory);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString("base64"));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: "idp#dashboard", generation: 1 });
    expect((records[0]!.iv as Uint8Array).byteLength).toBe(12);
    const key = keys[0] as CryptoKey;
    expect(key).toBeInstanceOf(CryptoKey);
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: "AES-GCM", length: 256 });
    await expect(crypto.subtle.exportKey("raw", key)).rejects.toThrow();
  });

  it("a rotation replaces the one record (no trace of the old token) and the generation grows, also across clear()", async () => {
    const factory = new IDBFactory();
    const store = idbRefreshTokenStore({ signInId: "s", factory });
    await store.save("rt-old-aaaaaaaaaaaa");
    expect(await store.save("rt-new-bbbbbbbbbbbb")).toBe(2);
    expect(await store.load()).toEqual({ refreshToken: "rt-new-bbbbbbbbbbbb", generation: 2 });
    expect((await dump(factory)).records).toHaveLength(1);
    await store.clear();
    expect(await store.load()).toBeUndefined();
    expect((await dump(factory)).records[0]).toEqual({ id: "s", generation: 2 });
    expect(await store.save("rt-next-cccccccccccc")).toBe(3);
  });

  it("each save uses a fresh IV", async () => {
    const factory = new IDBFactory();
    const store = idbRefreshTokenStore({ signInId: "s", factory });
    await store.save(TOKEN);
    const first = (await dump(factory)).records[0]!.iv as Uint8Array;
    await store.save(TOKEN);
    const second = (await dump(factory)).records[0]!.iv as Uint8Array;
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(false);
  });

  it("sign-ins are kept apart, and a ciphertext moved onto another sign-in's record does not decrypt: it is forgotten", async () => {
    const factory = new IDBFactory();
    const logger = recordingLogger();
    const a = idbRefreshTokenStore({ signInId: "a", factory, logger });
    const b = idbRefreshTokenStore({ signInId: "b", factory, logger });
    await a.save("rt-a-aaaaaaaaaaaaaa");
    await b.save("rt-b-bbbbbbbbbbbbbb");
    expect((await a.load())?.refreshToken).toBe("rt-a-aaaaaaaaaaaaaa");
    expect((await b.load())?.refreshToken).toBe("rt-b-bbbbbbbbbbbbbb");

    const db = await openRaw(factory);
    const recordA = (await db.get("sign-ins", "a")) as Record<string, unknown>;
    await db.put("sign-ins", { ...recordA, id: "b" });
    db.close();
    expect(await b.load()).toBeUndefined();
    expect(logger.lines.join("\n")).toContain("cannot be decrypted");
    expect((await dump(factory)).records.find((r) => r.id === "b")).toEqual({ id: "b", generation: 1 });
    expect((await a.load())?.refreshToken).toBe("rt-a-aaaaaaaaaaaaaa");
  });

  it("a damaged ciphertext or a lost key is forgotten, not thrown", async () => {
    const factory = new IDBFactory();
    const store = idbRefreshTokenStore({ signInId: "s", factory });
    await store.save(TOKEN);
    const db = await openRaw(factory);
    await db.delete("keys", "refresh-token-wrapping-key");
    db.close();
    expect(await store.load()).toBeUndefined();
    expect(await store.save(TOKEN)).toBe(2); // a new key
    expect(await store.load()).toEqual({ refreshToken: TOKEN, generation: 2 });
  });

  it("without WebCrypto (an insecure context) it keeps nothing and says why", async () => {
    const store = idbRefreshTokenStore({ signInId: "s", factory: new IDBFactory(), crypto: {} as Crypto });
    await expect(store.save(TOKEN)).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    expect(await store.load()).toBeUndefined();
  });
});
