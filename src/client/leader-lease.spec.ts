import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LEASE_RENEW_MS, LEASE_TTL_MS } from "./leader-lease.js";
import { LeaseTab } from "./testing/lease-tab.js";

// Fake time for the lease's timers and clock; fake-indexeddb and the
// BroadcastChannel keep their real scheduling (setImmediate, the event loop).
const realSetImmediate = setImmediate;
beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));

const tabs: LeaseTab[] = [];
afterEach(async () => {
  await Promise.all(tabs.splice(0).map((tab) => tab.resign()));
  vi.useRealTimers();
});

let leases = 0;
/** A lease of its own (a fresh database factory and name); `stand` opens one more tab on it. */
function newLease() {
  const factory = new IDBFactory();
  const name = `lease-spec-${process.pid}-${++leases}`;
  return {
    stand(id: string) {
      const tab = new LeaseTab(id, { name, factory, seed: tabs.length + 1 });
      tabs.push(tab);
      return tab;
    },
  };
}

function standing(count: number) {
  const lease = newLease();
  return Array.from({ length: count }, (_, i) => lease.stand(`tab-${i}`));
}

/** Lets transactions and messages (real event-loop turns) finish, without moving fake time. */
async function settle() {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => realSetImmediate(resolve));
}

/** Moves fake time by `ms` in 50 ms steps, settling after each. */
async function advance(ms: number) {
  for (let passed = 0; passed < ms; passed += 50) {
    await vi.advanceTimersByTimeAsync(Math.min(50, ms - passed));
    await settle();
  }
}

/** Moves fake time until `condition` holds; resolves to the fake ms it took (fails after `maxMs`). */
async function advanceUntil(condition: () => boolean, maxMs: number): Promise<number> {
  const start = Date.now();
  await settle();
  while (!condition()) {
    if (Date.now() - start > maxMs) throw new Error(`not within ${maxMs} ms`);
    await advance(50);
  }
  return Date.now() - start;
}

const hosts = (all: readonly LeaseTab[]) => all.filter((tab) => tab.hosting);

describe("leader lease (no Web Locks)", () => {
  it("of three tabs exactly one leads, and keeps leading for a minute while it is healthy (no flapping)", async () => {
    const all = standing(3);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    expect(hosts(all)).toHaveLength(1);
    const [leader] = hosts(all);
    for (let second = 0; second < 60; second++) {
      await advance(1_000);
      expect(hosts(all)).toEqual([leader]);
    }
    for (const tab of all) expect(tab.changes).toEqual(tab === leader ? [true] : []);
  });

  it("a leader whose timers run late (a background tab: once a second, on whole seconds) keeps the lease", async () => {
    const all = standing(2);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    const [leader] = hosts(all);
    // Each renewal runs 0.95 s late (a background tab's timers wait for the next whole second).
    for (let i = 0; i < 20; i++) {
      leader!.hang();
      await advance(LEASE_RENEW_MS + 950);
      leader!.wake();
      await settle();
      await advance(50);
      expect(hosts(all)).toEqual([leader]);
    }
    for (const tab of all) expect(tab.changes).toEqual(tab === leader ? [true] : []);
  });

  it("when the leader resigns another tab leads at once, without waiting for the lease to expire", async () => {
    const all = standing(3);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    const [leader] = hosts(all);
    await leader!.resign();
    const rest = all.filter((tab) => tab !== leader);
    const took = await advanceUntil(() => hosts(rest).length > 0, LEASE_TTL_MS);
    expect(took).toBeLessThan(200);
    expect(hosts(all)).toHaveLength(1);
    expect(leader!.changes).toEqual([true, false]);
  });

  it("when the leader's page goes away (pagehide) another tab leads at once; back from the cache it stands again as a follower", async () => {
    const all = standing(2);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    const [leader] = hosts(all);
    const [other] = all.filter((tab) => tab !== leader);
    leader!.lifecycle.dispatchEvent(new Event("pagehide"));
    expect(await advanceUntil(() => other!.hosting, LEASE_TTL_MS)).toBeLessThan(200);
    expect(leader!.hosting).toBe(false);

    leader!.lifecycle.dispatchEvent(new Event("pageshow"));
    await advance(10_000);
    expect(hosts(all)).toEqual([other]);
  });

  it("a hung leader loses the lease after it expires (within 5 s), and steps down as soon as it wakes", async () => {
    const all = standing(3);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    const [hung] = hosts(all);
    const rest = all.filter((tab) => tab !== hung);
    hung!.hang();
    const took = await advanceUntil(() => hosts(rest).length > 0, 10_000);
    // Not before the lease could have expired, and within the 5 s promised.
    expect(took).toBeGreaterThanOrEqual(LEASE_TTL_MS - LEASE_RENEW_MS);
    expect(took).toBeLessThanOrEqual(5_000);
    expect(hosts(rest)).toHaveLength(1);
    const [successor] = hosts(rest);

    // Still hung a while longer; the new leader holds on.
    await advance(5_000);
    expect(hosts(rest)).toEqual([successor]);
    hung!.wake();
    await settle();
    expect(hung!.hosting).toBe(false);
    expect(hung!.changes).toEqual([true, false]);
    await advance(10_000);
    expect(hosts(all)).toEqual([successor]);
  });

  it("a hung leader that missed the new leader's announcements finds out from the record at its next renewal", async () => {
    const all = standing(2);
    await advanceUntil(() => hosts(all).length > 0, 1_000);
    const [hung] = hosts(all);
    const [other] = all.filter((tab) => tab !== hung);
    hung!.hang();
    await advanceUntil(() => other!.hosting, 10_000);
    hung!.wake({ dropMessages: true });
    // The overdue renewal ran at once: it reads the other holder and steps down, no time passing.
    await settle();
    expect(hung!.hosting).toBe(false);
    await advance(10_000);
    expect(hosts(all)).toEqual([other]);
  });

  it("a tab that comes later waits for the leader's lease and does not steal it", async () => {
    const lease = newLease();
    const first = lease.stand("first");
    await advanceUntil(() => first.hosting, 1_000);
    const later = lease.stand("later");
    await advance(20_000);
    expect(first.hosting).toBe(true);
    expect(later.changes).toEqual([]);
  });
});
