import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../../core/clock.js";
import { StorageError } from "../../core/storage-error.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "./database.js";
import { scopeKey } from "../storage-scope.js";
import { createSubscriptionStore } from "./subscription-store.js";

const site = { server: "https://bms.example", device: "site/floor-3" };
const handles: PubCacheDatabase[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));

function setUp(factory = new IDBFactory()) {
  let now = 1000;
  const clock: Clock = { now: () => now, setTimer: () => () => {} };
  const db = openPubCacheDatabase({ factory });
  handles.push(db);
  return { store: createSubscriptionStore(db, { clock }), advance: (ms: number) => (now += ms), factory };
}

const byId = (a: { id: string; scopeKey: string }, b: { id: string; scopeKey: string }) =>
  (a.scopeKey + a.id).localeCompare(b.scopeKey + b.id);

describe("subscription store", () => {
  it("lists what was put, with its scope and when", async () => {
    const { store } = setUp();
    await store.put({ ...site, id: "lobby" });
    await store.put({ ...site, partition: "alice", id: "lobby" });
    const expected = [
      { scopeKey: scopeKey(site), ...site, partition: undefined, id: "lobby", updatedAt: 1000 },
      { scopeKey: scopeKey({ ...site, partition: "alice" }), ...site, partition: "alice", id: "lobby", updatedAt: 1000 },
    ];
    expect((await store.list()).sort(byId)).toEqual(expected.sort(byId));
  });

  it("put of an existing subscription refreshes it instead of adding another", async () => {
    const { store, advance } = setUp();
    await store.put({ ...site, id: "lobby" });
    advance(500);
    await store.put({ ...site, partition: "", id: "lobby" }); // "" is no partition
    const all = await store.list();
    expect(all).toHaveLength(1);
    expect(all[0]!.updatedAt).toBe(1500);
  });

  it("rejects an empty id as invalid", async () => {
    const { store } = setUp();
    await expect(store.put({ ...site, id: "" })).rejects.toSatisfy((e) => StorageError.is(e, "invalid"));
  });

  it("remove reports whether it was there and touches no other scope", async () => {
    const { store } = setUp();
    await store.put({ ...site, id: "lobby" });
    await store.put({ ...site, device: "other", id: "lobby" });
    expect(await store.remove(site, "lobby")).toBe(true);
    expect(await store.remove(site, "lobby")).toBe(false);
    expect((await store.list()).map((s) => s.device)).toEqual(["other"]);
  });

  it("clearScope removes one scope's subscriptions and counts them", async () => {
    const { store } = setUp();
    const alice = { ...site, partition: "alice" };
    for (const id of ["a", "b"]) await store.put({ ...alice, id });
    await store.put({ ...site, id: "a" });
    expect(await store.clearScope(alice)).toBe(2);
    expect(await store.clearScope(alice)).toBe(0);
    expect((await store.list()).map((s) => [s.partition, s.id])).toEqual([[undefined, "a"]]);
  });

  it("survives a restart (a new handle on the same database)", async () => {
    const first = setUp();
    await first.store.put({ ...site, id: "lobby" });
    handles.splice(0).forEach((h) => h.close());
    const second = setUp(first.factory);
    expect((await second.store.list()).map((s) => s.id)).toEqual(["lobby"]);
  });
});
