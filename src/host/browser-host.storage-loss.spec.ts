import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { StorageRecovery, ToPageMessage } from "../protocol/messages.js";
import { startPublicationServer } from "../server/publication-server.js";
import { openPubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import { createSubscriptionStore } from "../storage/idb/subscription-store.js";
import { createBrowserHost } from "./browser-host.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onblocked = () => reject(new Error("delete was blocked"));
    request.onsuccess = () => resolve();
  });
}

/** The real host (IndexedDB in fake-indexeddb, gRPC-Web over fetch) against the real development server. */
async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), "host-loss-"));
  const server = await startPublicationServer({ port: 0, dataDir });
  cleanups.push(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const api = createClient(PublicationApi, createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" }));
  for (const id of ["a", "b", "c"]) {
    await api.createPublication({ name: "", publication: { id, body: new TextEncoder().encode(`${id} one`), mediaType: "text/plain" } });
  }
  const databaseName = `host-loss-${Math.random()}`;
  const sent: ToPageMessage[] = [];
  const browserHost = createBrowserHost({ databaseName, broadcast: (message) => void sent.push(message), storageCheckMs: 60_000 });
  cleanups.push(() => browserHost.close());
  const reader = openPubCacheDatabase({ name: databaseName });
  cleanups.push(() => reader.close());
  const scope = { server: server.url, device: "", partition: "" };
  const stored = createIdbStorage(reader, scope);
  const subscriptions = createSubscriptionStore(reader);
  const recoveries = () =>
    sent.flatMap((m) => (m.type === "storage-recoveries" ? [m.recoveries] : [])).at(-1) ?? ([] as readonly StorageRecovery[]);
  return { server, databaseName, host: browserHost.host, scope, stored, subscriptions, recoveries, sent };
}

describe("browser host: the database goes away while running", () => {
  it("deleted by another tab: every value and subscription is written back within seconds, and pages are told", async () => {
    const { databaseName, host, scope, stored, subscriptions, recoveries } = await setup();
    await host.resume();
    for (const id of ["a", "b", "c"]) host.receive({ v: 1, type: "subscribe", clientId: "tab", claim: { ref: { ...scope, id } } });
    await expect.poll(async () => (await stored.list()).sort(), { timeout: 10_000 }).toEqual(["a", "b", "c"]);
    await expect.poll(async () => (await subscriptions.list()).length).toBe(3);

    const before = Date.now();
    await deleteDatabase(databaseName);
    expect(await stored.list()).toEqual([]);

    await expect.poll(async () => (await stored.list()).sort(), { timeout: 5_000 }).toEqual(["a", "b", "c"]);
    expect((await stored.loadEntry("b")).publication.body).toEqual(new TextEncoder().encode("b one"));
    expect((await subscriptions.list()).map((s) => s.id).sort()).toEqual(["a", "b", "c"]);
    await expect.poll(() => recoveries().at(-1)?.restoredAt, { timeout: 5_000 }).toBeDefined();
    const [recovery] = recoveries();
    expect(recovery).toMatchObject({ storage: "database", restored: 3 });
    expect(recovery!.detectedAt).toBeGreaterThanOrEqual(before);
    expect(recovery!.restoredAt).toBeGreaterThanOrEqual(recovery!.detectedAt);
  });

  it("a host that never started hosting does not open the database, and notices nothing", async () => {
    const { databaseName, sent } = await setup();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(databaseName);
    expect(sent).toEqual([]);
  });
});
