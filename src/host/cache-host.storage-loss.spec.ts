import { describe, expect, it } from "vitest";
import type { ToPageMessage } from "../protocol/messages.js";
import type { PublicationRef } from "../protocol/publication-ref.js";
import { createCacheHost, type CacheHostOptions } from "./cache-host.js";
import { createRecoveryLog } from "./recovery-log.js";
import { fakeFeeds, manualClock, memoryRegistry } from "./testing/host-fakes.js";

const ref = (id: string): PublicationRef => ({ server: "http://127.0.0.1:7000", device: "dev", id, partition: "" });
const subscribe = (clientId: string, r: PublicationRef) => ({ v: 1, type: "subscribe", clientId, claim: { ref: r } });
const heartbeat = (clientId: string, refs: PublicationRef[]) => ({ v: 1, type: "heartbeat", clientId, claims: refs.map((r) => ({ ref: r })) });

function setup(overrides: Partial<CacheHostOptions> = {}) {
  const sent: ToPageMessage[] = [];
  const registry = memoryRegistry();
  const recoveries = createRecoveryLog();
  const host = createCacheHost({
    hostId: "host-1",
    broadcast: (m) => void sent.push(m),
    createFeed: fakeFeeds().createFeed,
    clearStorage: async () => undefined,
    subscriptions: registry,
    recoveries,
    clock: manualClock(),
    ...overrides,
  });
  const recoveryMessages = () => sent.filter((m) => m.type === "storage-recoveries");
  return { host, sent, registry, recoveries, recoveryMessages };
}

describe("cache host: storage lost while running", () => {
  it("writes every running ref back to the subscription registry", async () => {
    const { host, registry } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-b", ref("y")));
    host.receive(subscribe("tab-b", ref("x")));
    await Promise.resolve();
    registry.refs.clear();
    await expect(host.persistSubscriptions()).resolves.toBe(2);
    expect([...registry.refs.values()].map((r) => r.id).sort()).toEqual(["x", "y"]);
  });

  it("counts only the refs it could write", async () => {
    const registry = memoryRegistry();
    const { host } = setup({
      subscriptions: { ...registry, put: async (r) => (r.id === "bad" ? Promise.reject(new Error("quota")) : registry.put(r)) },
    });
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-a", ref("bad")));
    await expect(host.persistSubscriptions()).resolves.toBe(1);
  });

  it("tells every page about each recovery as it starts and ends, and each new tab about earlier ones", () => {
    const { host, recoveries, recoveryMessages } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    expect(recoveryMessages()).toEqual([]);

    const done = recoveries.begin({ storage: "database", detectedAt: 5, restored: 0 });
    done({ restoredAt: 6, restored: 3 });
    expect(recoveryMessages().map((m) => m.recoveries)).toEqual([
      [{ storage: "database", detectedAt: 5, restored: 0 }],
      [{ storage: "database", detectedAt: 5, restoredAt: 6, restored: 3 }],
    ]);

    // A known tab's heartbeat is no reason to repeat; a new tab's first message is.
    host.receive(heartbeat("tab-a", [ref("x")]));
    expect(recoveryMessages()).toHaveLength(2);
    host.receive(heartbeat("tab-new", [ref("x")]));
    expect(recoveryMessages()).toHaveLength(3);
    expect(recoveryMessages().at(-1)?.recoveries).toEqual([{ storage: "database", detectedAt: 5, restoredAt: 6, restored: 3 }]);
  });

  it("starts its storage watch when it starts hosting (resume) and closes it with itself", async () => {
    const calls: string[] = [];
    const { host, recoveries, recoveryMessages } = setup({
      storageWatch: { start: () => void calls.push("start"), close: () => void calls.push("close") },
    });
    expect(calls).toEqual([]);
    await host.resume();
    expect(calls).toEqual(["start"]);
    await host.close();
    expect(calls).toEqual(["start", "close"]);
    recoveries.begin({ storage: "app-files", detectedAt: 1, restored: 0 });
    expect(recoveryMessages()).toEqual([]);
  });
});
