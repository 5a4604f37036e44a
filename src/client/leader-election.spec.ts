import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { channelName } from "../protocol/messages.js";
import { FakeLocks } from "./testing/fake-locks.js";
import { standForLeader, type LeaderCandidacy } from "./leader-election.js";

// A leader loads the host with import(); transforming it the first time
// takes vitest longer than a poll waits, so load it before the tests.
beforeAll(() => import("../host/browser-host.js"));

const candidacies: LeaderCandidacy[] = [];
afterEach(async () => {
  for (const candidacy of candidacies.splice(0)) await candidacy.resign();
});

const databaseName = `leader-spec-${process.pid}`;
function stand(locks: FakeLocks, changes: boolean[] = []) {
  const candidacy = standForLeader({ databaseName, locks: locks.asLockManager(), onChange: (v) => changes.push(v) });
  candidacies.push(candidacy);
  return candidacy;
}

describe("leader election", () => {
  it("elects exactly one tab; when it resigns the next one takes over and says so on the channel", async () => {
    const locks = new FakeLocks();
    const heard: unknown[] = [];
    const listener = new BroadcastChannel(channelName(databaseName));
    listener.onmessage = (event) => heard.push(event.data);
    try {
      const firstChanges: boolean[] = [];
      const first = stand(locks, firstChanges);
      const second = stand(locks);
      await expect.poll(() => first.isLeader).toBe(true);
      expect(second.isLeader).toBe(false);
      await expect.poll(() => heard.filter((m) => (m as { type?: string }).type === "host-ready").length).toBe(1);

      await first.resign();
      expect(firstChanges).toEqual([true, false]);
      await expect.poll(() => second.isLeader).toBe(true);
      await expect.poll(() => heard.filter((m) => (m as { type?: string }).type === "host-ready").length).toBe(2);
    } finally {
      listener.close();
    }
  });

  it("a tab that resigns while waiting never leads", async () => {
    const locks = new FakeLocks();
    const first = stand(locks);
    const changes: boolean[] = [];
    const second = stand(locks, changes);
    await expect.poll(() => first.isLeader).toBe(true);
    await second.resign();
    await first.resign();
    expect(changes).toEqual([]);
  });
});
