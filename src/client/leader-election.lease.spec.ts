import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { leaderLockName } from "../host/leader-lock.js";
import { channelName } from "../protocol/messages.js";
import { leaseChannelName } from "../protocol/lease-messages.js";
import { standForLeader, type LeaderCandidacy } from "./leader-election.js";

// The leader loads the host and, without locks, the lease with import():
// load them before the tests, as the Web Locks spec does.
beforeAll(() => Promise.all([import("../host/browser-host.js"), import("./leader-lease.js")]));

const candidacies: LeaderCandidacy[] = [];
afterEach(async () => {
  for (const candidacy of candidacies.splice(0)) await candidacy.resign();
});

let runs = 0;
/** Tabs without `navigator.locks` on one cache database (and one lease database). */
function withoutLocks() {
  const databaseName = `leader-lease-spec-${process.pid}-${++runs}`;
  const factory = new IDBFactory();
  const heard: string[] = [];
  const listener = new BroadcastChannel(channelName(databaseName));
  listener.onmessage = (event: MessageEvent<{ type?: string }>) => void (event.data.type && heard.push(event.data.type));
  return {
    databaseName,
    hostsReady: () => heard.filter((type) => type === "host-ready").length,
    stand(changes: boolean[] = []) {
      const candidacy = standForLeader({ databaseName, locks: null, lease: { factory, lifecycle: null }, onChange: (v) => changes.push(v) });
      candidacies.push(candidacy);
      return candidacy;
    },
    close: () => listener.close(),
  };
}

describe("leader election without Web Locks (a lease)", () => {
  it("elects exactly one tab; when it resigns another takes over and its host says so on the channel", async () => {
    const cache = withoutLocks();
    try {
      const firstChanges: boolean[] = [];
      const first = cache.stand(firstChanges);
      const second = cache.stand();
      await expect.poll(() => first.isLeader || second.isLeader).toBe(true);
      await expect.poll(cache.hostsReady).toBe(1);
      expect([first.isLeader, second.isLeader].filter(Boolean)).toHaveLength(1);

      const [leader, follower] = first.isLeader ? [first, second] : [second, first];
      await leader.resign();
      expect(leader.isLeader).toBe(false);
      await expect.poll(() => follower.isLeader, { timeout: 1_000 }).toBe(true);
      await expect.poll(cache.hostsReady).toBe(2);
    } finally {
      cache.close();
    }
  });

  it("a leader that hears another tab holds the lease stops its host at once", async () => {
    const cache = withoutLocks();
    const intruder = new BroadcastChannel(leaseChannelName(leaderLockName(cache.databaseName)));
    try {
      const changes: boolean[] = [];
      const tab = cache.stand(changes);
      await expect.poll(() => tab.isLeader).toBe(true);
      await expect.poll(cache.hostsReady).toBe(1);
      intruder.postMessage({ v: 1, type: "held", holder: "another-tab", expiresAt: Date.now() + 3_000 });
      await expect.poll(() => changes, { timeout: 1_000 }).toEqual([true, false]);
    } finally {
      intruder.close();
      cache.close();
    }
  });
});
