import { describe, expect, it } from "vitest";
import { RemoteCare, storageCareTokens, type CareActions, type CareCommand, type CareTokens } from "./remote-care.js";

function memoryStorage(): Pick<Storage, "getItem" | "setItem"> & { items: Map<string, string>; failWrites: boolean } {
  const items = new Map<string, string>();
  const storage = {
    items,
    failWrites: false,
    getItem: (key: string) => items.get(key) ?? null,
    setItem(key: string, value: string) {
      if (storage.failWrites) throw new DOMException("full", "QuotaExceededError");
      items.set(key, value);
    },
  };
  return storage;
}

function setup() {
  const storage = memoryStorage();
  const done: CareCommand[] = [];
  let online = true;
  const actions: CareActions = {
    reload: () => void done.push("reload"),
    clearCache: async () => void done.push("clearCache"),
    signOut: async () => void done.push("signOut"),
    canClearNow: () => online,
    failed: () => {},
  };
  // A new RemoteCare per page load, as after a reload: only the storage carries over.
  const boot = () => new RemoteCare(storageCareTokens(storage, "care:lobby"), actions);
  return { storage, done, boot, setOnline: (value: boolean) => void (online = value) };
}

describe("RemoteCare", () => {
  it("a fresh screen records the tokens it finds without acting", () => {
    const { done, boot } = setup();
    expect(boot().follow({ reload: "r1", clearCache: "c1", signOut: "s1" })).toEqual([]);
    expect(done).toEqual([]);
    expect(boot().follow({ reload: "r1", clearCache: "c1", signOut: "s1" })).toEqual([]);
  });

  it("a new value acts once, also across the reload it causes", () => {
    const { done, boot } = setup();
    boot().follow({ reload: "r1" });
    expect(boot().follow({ reload: "r2" })).toEqual(["reload"]);
    // The page reloaded: the same configuration is read again on boot.
    expect(boot().follow({ reload: "r2" })).toEqual([]);
    expect(done).toEqual(["reload"]);
  });

  it("a token that appears for the first time in a later configuration acts", () => {
    const { done, boot } = setup();
    const care = boot();
    care.follow({});
    care.follow({ signOut: "s1" });
    expect(done).toEqual(["signOut"]);
  });

  it("acts on several new tokens with the reload last", () => {
    const { done, boot } = setup();
    const care = boot();
    care.follow({ reload: "r1", clearCache: "c1", signOut: "s1" });
    care.follow({ reload: "r2", clearCache: "c2", signOut: "s2" });
    expect(done).toEqual(["signOut", "clearCache", "reload"]);
  });

  it("postpones a clear while it would leave the screen empty, then clears once", () => {
    const { done, boot, setOnline } = setup();
    const care = boot();
    care.follow({ clearCache: "c1" });
    setOnline(false);
    expect(care.follow({ clearCache: "c2" })).toEqual([]);
    expect(care.follow({ clearCache: "c2" })).toEqual([]);
    setOnline(true);
    expect(care.follow({ clearCache: "c2" })).toEqual(["clearCache"]);
    expect(care.follow({ clearCache: "c2" })).toEqual([]);
    expect(done).toEqual(["clearCache"]);
  });

  it("does not act on a token it cannot remember (it would act again on every boot)", () => {
    const { done, boot, storage } = setup();
    boot().follow({ reload: "r1" });
    storage.failWrites = true;
    expect(boot().follow({ reload: "r2" })).toEqual([]);
    expect(done).toEqual([]);
  });

  it("a failed action is reported and its token stays spent", async () => {
    const { storage } = setup();
    const failures: CareCommand[] = [];
    const care = new RemoteCare(storageCareTokens(storage, "k"), {
      reload: () => {},
      clearCache: () => Promise.reject(new Error("no")),
      signOut: async () => {},
      canClearNow: () => true,
      failed: (command) => void failures.push(command),
    });
    care.follow({});
    expect(care.follow({ clearCache: "c1" })).toEqual(["clearCache"]);
    await Promise.resolve();
    expect(failures).toEqual(["clearCache"]);
    expect(care.follow({ clearCache: "c1" })).toEqual([]);
  });
});

describe("storageCareTokens", () => {
  it("reads what is not tokens as none, and keys as data", () => {
    const storage = memoryStorage();
    const store = storageCareTokens(storage, "k");
    expect(store.load()).toBeUndefined();
    storage.items.set("k", "not json");
    expect(store.load()).toBeUndefined();
    storage.items.set("k", '{"reload": 3, "signOut": "s", "__proto__": {"clearCache": "x"}}');
    expect(store.load()).toEqual({ signOut: "s" } satisfies CareTokens);
  });
});
