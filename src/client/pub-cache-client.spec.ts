import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { PublicationApi, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { channelName, envelope } from "../protocol/messages.js";
import { toWireSnapshot } from "../protocol/to-wire-snapshot.js";
import { startPublicationServer } from "../server/publication-server.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import { FakeLocks } from "./testing/fake-locks.js";
import { createPubCacheClient, type PubCacheClient } from "./pub-cache-client.js";
import type { PublicationUpdate } from "./publication-update.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let dbCounter = 0;
const databaseName = () => `client-spec-${process.pid}-${dbCounter++}`;

function track(client: PubCacheClient): PubCacheClient {
  cleanups.push(() => client.close());
  return client;
}

/** Collects updates; `until` resolves at the first update matching `predicate`. */
function collect(client: PubCacheClient, id: string) {
  const updates: PublicationUpdate[] = [];
  const waiters: Array<{ predicate: (u: PublicationUpdate) => boolean; resolve: (u: PublicationUpdate) => void }> = [];
  const unsubscribe = client.subscribe(id, (update) => {
    updates.push(update);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(update)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(update);
      }
    }
  });
  const until = (predicate: (u: PublicationUpdate) => boolean) =>
    new Promise<PublicationUpdate>((resolve) => {
      const seen = updates.find(predicate);
      if (seen) resolve(seen);
      else waiters.push({ predicate, resolve });
    });
  return { updates, until, unsubscribe };
}

describe("page client without a host (nobody elected)", () => {
  const server = "http://127.0.0.1:9";

  it("paints the stored value from IndexedDB before any host message", async () => {
    const name = databaseName();
    const db = openPubCacheDatabase({ name });
    await createIdbStorage(db, { server, device: "dev", partition: "p" }).store(
      create(PublicationSchema, { id: "news", version: "v-stored", body: new TextEncoder().encode("hi"), mediaType: "text/plain" }),
    );
    db.close();

    const client = track(
      createPubCacheClient({ server, device: "dev", partition: "p", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }),
    );
    const { until, updates } = collect(client, "news");
    const painted = await until((u) => u.value !== undefined);
    expect(painted.value?.publication.version).toBe("v-stored");
    expect(painted.value?.source).toBe("storage");
    expect(painted.state.kind).toBe("connecting");
    expect(client.diagnostics.receivedMessages).toBe(0);
    expect(updates[0]?.value).toBeUndefined();
    expect((await client.get("news"))?.publication.version).toBe("v-stored");
    expect(await client.get("other")).toBeUndefined();
  });

  it("peek() answers synchronously with the object the last callback got, stable until it changes", async () => {
    const name = databaseName();
    const db = openPubCacheDatabase({ name });
    await createIdbStorage(db, { server, device: "dev", partition: "" }).store(
      create(PublicationSchema, { id: "news", version: "v1", body: new TextEncoder().encode("hi") }),
    );
    db.close();
    const client = track(
      createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }),
    );
    const before = client.peek("news");
    expect(before).toMatchObject({ id: "news", value: undefined, state: { kind: "connecting" } });
    expect(client.peek("news")).toBe(before);

    const { until, updates } = collect(client, "news");
    const painted = await until((u) => u.value !== undefined);
    expect(client.peek("news")).toBe(painted);
    expect(client.peek("news")).toBe(updates.at(-1));
    expect(client.peek("other")).toBe(client.peek("other"));
  });

  it("drops and counts malformed channel messages, and ignores other tabs' host-bound messages", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }));
    const intruder = new BroadcastChannel(channelName(name));
    cleanups.push(() => intruder.close());
    intruder.postMessage({ v: 1, type: "snapshot", ref: { server, device: "dev", partition: "", id: "x" }, snapshot: { state: { kind: "on-fire" } } });
    intruder.postMessage({ v: 99, type: "host-ready", hostId: "future" });
    intruder.postMessage("hello");
    intruder.postMessage({ v: 1, type: "goodbye", clientId: "another-tab" });
    // A malformed host-bound message is the host's to drop and count: a page carries no validator for it.
    intruder.postMessage({ v: 1, type: "heartbeat", clientId: "another-tab", claims: "not a list" });
    intruder.postMessage({ v: 1, type: "host-ready", hostId: "h" });
    await expect.poll(() => client.diagnostics.receivedMessages).toBe(1);
    expect(client.diagnostics.droppedMessages).toBe(3);
  });

  it("shows the host's storage recoveries in its diagnostics, as last reported; a malformed report changes nothing", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }));
    expect(client.diagnostics.storageRecoveries).toEqual([]);
    const host = new BroadcastChannel(channelName(name));
    cleanups.push(() => host.close());
    const recoveries = [{ storage: "database" as const, detectedAt: 1_000, restoredAt: 1_100, restored: 4 }];
    host.postMessage(envelope({ type: "storage-recoveries", recoveries }));
    await expect.poll(() => client.diagnostics.storageRecoveries).toEqual(recoveries);
    host.postMessage({ v: 1, type: "storage-recoveries", recoveries: [{ storage: "database", detectedAt: -5, restored: 1 }] });
    await expect.poll(() => client.diagnostics.droppedMessages).toBe(1);
    expect(client.diagnostics.storageRecoveries).toEqual(recoveries);
  });

  it("shows the protocol the host reports for this client's server (by origin), as last reported; a malformed report changes nothing", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server: `${server}/api`, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }));
    expect(client.diagnostics.upstreamProtocol).toBeUndefined();
    const host = new BroadcastChannel(channelName(name));
    cleanups.push(() => host.close());
    const ours = { origin: "http://127.0.0.1:9", protocol: "http/1.1", since: 1_000 };
    host.postMessage(envelope({ type: "upstream-protocols", upstreams: [{ origin: "https://other.test", protocol: "h2", since: 900 }, ours] }));
    await expect.poll(() => client.diagnostics.upstreamProtocol).toEqual(ours);
    // A report without our server (another tab's) leaves ours as it was.
    host.postMessage(envelope({ type: "upstream-protocols", upstreams: [{ origin: "https://other.test", protocol: "h2", since: 900 }] }));
    host.postMessage({ v: 1, type: "upstream-protocols", upstreams: [{ ...ours, protocol: "<b>h2</b>" }] });
    await expect.poll(() => client.diagnostics.droppedMessages).toBe(1);
    expect(client.diagnostics.receivedMessages).toBe(2);
    expect(client.diagnostics.upstreamProtocol).toEqual(ours);
    host.postMessage(envelope({ type: "upstream-protocols", upstreams: [{ ...ours, protocol: "h2", since: 2_000 }] }));
    await expect.poll(() => client.diagnostics.upstreamProtocol?.protocol).toBe("h2");
  });

  it("reports no worker problem when told to use no worker", () => {
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: databaseName() }, { locks: FakeLocks.never() }));
    expect(client.diagnostics.workerProblem).toBeUndefined();
  });

  it("reports insecure-context where the page is not a secure context (here: Node, which has no isSecureContext), and still hosts in a tab", async () => {
    const client = track(createPubCacheClient({ server, device: "dev", databaseName: databaseName() }, { locks: FakeLocks.never() }));
    expect(client.diagnostics.workerProblem?.kind).toBe("insecure-context");
    expect(client.diagnostics.mode).toBe("follower");
  });

  it("drops and counts a snapshot whose publication is not the one it names; shows the next good one", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }));
    const { updates, until } = collect(client, "news");
    const intruder = new BroadcastChannel(channelName(name));
    cleanups.push(() => intruder.close());
    const ref = { server, device: "dev", partition: "", id: "news" };
    const forged = toWireSnapshot({
      value: { publication: create(PublicationSchema, { id: "ads", version: "x" }), source: "stream", receivedAt: 1, lastConfirmedAt: 1 },
      state: { kind: "live" },
    });
    intruder.postMessage(envelope({ type: "snapshot", ref, snapshot: forged }));
    await expect.poll(() => client.diagnostics.droppedMessages).toBe(1);
    const good = toWireSnapshot({
      value: { publication: create(PublicationSchema, { id: "news", version: "v1" }), source: "stream", receivedAt: 1, lastConfirmedAt: 1 },
      state: { kind: "live" },
    });
    intruder.postMessage(envelope({ type: "snapshot", ref, snapshot: good }));
    await until((u) => u.value !== undefined);
    expect(updates.map((u) => u.value?.publication.id).filter(Boolean)).toEqual(["news"]);
  });

  it("a screen acknowledges what is addressed to it once its callbacks rendered it; a failed render rejects", async () => {
    const name = databaseName();
    const client = track(
      createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name, screen: "lobby-1" }, { locks: FakeLocks.never() }),
    );
    const host = new BroadcastChannel(channelName(name));
    cleanups.push(() => host.close());
    const heard: Array<Record<string, unknown>> = [];
    host.onmessage = (event: MessageEvent<Record<string, unknown>>) => void (event.data.type === "acknowledge" && heard.push(event.data));
    let failNext = false;
    client.subscribe("cfg", (update) => {
      if (update.value && failNext) throw new Error("the layout cannot show this");
    });
    const ref = { server, device: "dev", partition: "", id: "cfg" };
    const snapshotOf = (version: string, audienceName: string) =>
      toWireSnapshot({
        value: {
          publication: create(PublicationSchema, { id: "cfg", version, audience: { name: audienceName, receipt: 1 } }),
          source: "stream",
          receivedAt: 1,
          lastConfirmedAt: 1,
        },
        state: { kind: "live" },
      });
    host.postMessage(envelope({ type: "snapshot", ref, snapshot: snapshotOf("v1", "lobby-1") }));
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({ type: "acknowledge", ref, version: "v1", receipt: "accepted" });

    failNext = true;
    host.postMessage(envelope({ type: "snapshot", ref, snapshot: snapshotOf("v2", "lobby-1") }));
    await expect.poll(() => heard.length).toBe(2);
    expect(heard[1]).toMatchObject({ version: "v2", receipt: "rejected", reason: "the layout cannot show this" });

    // Addressed to another screen: nothing.
    host.postMessage(envelope({ type: "snapshot", ref, snapshot: snapshotOf("v3", "lobby-2") }));
    await expect.poll(() => client.peek("cfg").value?.publication.version).toBe("v3");
    expect(heard).toHaveLength(2);
  });

  it("a state message changes state and freshness of the value the tab holds, without bytes; a repeated full snapshot is not shown twice", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name }, { locks: FakeLocks.never() }));
    const host = new BroadcastChannel(channelName(name));
    cleanups.push(() => host.close());
    const { updates, until } = collect(client, "plan");
    const ref = { server, device: "dev", partition: "", id: "plan" };
    const full = toWireSnapshot({
      value: { publication: create(PublicationSchema, { id: "plan", version: "v1", body: new Uint8Array(1000) }), source: "stream", receivedAt: 1, lastConfirmedAt: 1 },
      state: { kind: "live" },
    });
    host.postMessage(envelope({ type: "snapshot", ref, snapshot: full }));
    await until((u) => u.value?.publication.version === "v1");
    const error = { code: "unavailable", message: "gone", at: 5 } as const;
    host.postMessage(envelope({ type: "state", ref, change: { value: { version: "v1", source: "stream", receivedAt: 1, lastConfirmedAt: 1 }, state: { kind: "retrying", nextAttemptAt: 9, lastError: error } } }));
    const retrying = await until((u) => u.state.kind === "retrying");
    expect(retrying.value?.publication.version).toBe("v1");
    expect(retrying.value?.publication.body).toHaveLength(1000);
    host.postMessage(envelope({ type: "state", ref, change: { value: { version: "v1", source: "stream", receivedAt: 1, lastConfirmedAt: 20 }, state: { kind: "live" } } }));
    const live = await until((u) => u.state.kind === "live" && u.value?.lastConfirmedAt === 20);
    expect(live.value?.publication).toBe(retrying.value?.publication);
    const seen = updates.length;
    // The same bytes again (a greeting for another tab) with the same freshness: nothing new to show.
    host.postMessage(envelope({ type: "snapshot", ref, snapshot: { ...full, value: { ...full.value!, lastConfirmedAt: 20 } } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates).toHaveLength(seen);
  });

  it("watchDevice states the watch (in heartbeats too) and delivers the device's publications", async () => {
    const name = databaseName();
    const client = track(createPubCacheClient({ server, device: "dev", serviceWorker: false, databaseName: name, heartbeatMs: 50 }, { locks: FakeLocks.never() }));
    const host = new BroadcastChannel(channelName(name));
    cleanups.push(() => host.close());
    const heard: Array<Record<string, unknown>> = [];
    host.onmessage = (event: MessageEvent<Record<string, unknown>>) => void heard.push(event.data);
    const lists: string[][] = [];
    const stop = client.watchDevice((publications) => lists.push(publications.map((p) => `${p.id}@${p.version}`)));
    await expect.poll(() => heard.some((m) => m.type === "watch-device")).toBe(true);
    await expect.poll(() => heard.some((m) => m.type === "heartbeat" && Array.isArray(m.devices) && m.devices.length === 1)).toBe(true);
    const scope = { server, device: "dev", partition: "" };
    const bytes = (id: string, version: string) => toBinary(PublicationSchema, create(PublicationSchema, { id, version }));
    host.postMessage(envelope({ type: "device", scope, publications: [bytes("a", "v1"), bytes("b", "v2")] }));
    await expect.poll(() => lists.at(-1)).toEqual(["a@v1", "b@v2"]);
    // Another device's list is not ours.
    host.postMessage(envelope({ type: "device", scope: { ...scope, device: "other" }, publications: [bytes("x", "v9")] }));
    stop();
    await expect.poll(() => heard.some((m) => m.type === "unwatch-device")).toBe(true);
    expect(lists).toHaveLength(1);
  });

  it("clear() wipes its own partition itself when no host answers, and leaves other partitions", async () => {
    const name = databaseName();
    const db = openPubCacheDatabase({ name });
    cleanups.push(() => db.close());
    const mine = createIdbStorage(db, { server, device: "dev", partition: "alice" });
    const theirs = createIdbStorage(db, { server, device: "dev", partition: "bob" });
    for (const storage of [mine, theirs]) await storage.store(create(PublicationSchema, { id: "n", version: "v1" }));

    const client = track(
      createPubCacheClient(
        { server, device: "dev", partition: "alice", serviceWorker: false, databaseName: name },
        { locks: FakeLocks.never(), clearTimeoutMs: 50 },
      ),
    );
    await client.clear();
    expect(await mine.list()).toEqual([]);
    expect(await theirs.list()).toEqual(["n"]);
  });
});

describe("page client hosting the cache itself (leader) against the real development server", () => {
  async function startServer() {
    const dataDir = await mkdtemp(join(tmpdir(), "client-spec-"));
    const running = await startPublicationServer({ port: 0, dataDir });
    cleanups.push(async () => {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const api = createClient(PublicationApi, createGrpcWebTransport({ baseUrl: running.url, httpVersion: "1.1" }));
    const publish = async (id: string, text: string, create = false) => {
      const publication = { id, body: new TextEncoder().encode(text), mediaType: "text/plain" };
      const result = create
        ? await api.createPublication({ name: "", publication })
        : await api.updatePublication({ name: "", publication });
      return result.version;
    };
    return { url: running.url, publish };
  }

  it("delivers the current value, then each update once, and stores them", async () => {
    const server = await startServer();
    const v1 = await server.publish("board", "one", true);
    const name = databaseName();
    const client = track(createPubCacheClient({ server: server.url, device: "", serviceWorker: false, databaseName: name }, { locks: new FakeLocks().asLockManager() }));
    const { until, updates } = collect(client, "board");

    await until((u) => u.state.kind === "live" && u.value?.publication.version === v1);
    expect(client.diagnostics.mode).toBe("leader");
    const v2 = await server.publish("board", "two");
    const live2 = await until((u) => u.value?.publication.version === v2);
    expect(new TextDecoder().decode(live2.value?.publication.body)).toBe("two");

    const signatures = updates.map((u) => JSON.stringify([u.value?.publication.version, u.state.kind, u.value?.lastConfirmedAt]));
    expect(new Set(signatures).size).toBe(signatures.length);
    const db = openPubCacheDatabase({ name });
    cleanups.push(() => db.close());
    await expect.poll(async () => (await createIdbStorage(db, { server: server.url, device: "" }).load("board")).version).toBe(v2);
  });
});
