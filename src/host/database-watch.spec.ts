import { forceCloseDatabase, type IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../core/testing/fake-clock.js";
import { StorageError } from "../core/storage-error.js";
import { openPubCacheDatabase, type PubCacheDatabase } from "../storage/idb/database.js";
import { readMarker } from "../storage/idb/database-marker.js";
import { recordingFactory } from "../storage/idb/testing/idb-test-support.js";
import { createDatabaseWatch, type DatabaseLoss, type DatabaseWatch } from "./database-watch.js";

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((cleanup) => cleanup()));

/** fake-indexeddb completes requests on real macrotasks: let them run. */
const idle = () => new Promise((resolve) => setTimeout(resolve, 20));

function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onblocked = () => reject(new Error("delete was blocked"));
    request.onsuccess = () => resolve();
  });
}

function setup(options: { wrap?: (db: PubCacheDatabase) => PubCacheDatabase } = {}) {
  const { factory, connections } = recordingFactory();
  const clock = new FakeClock();
  const name = `watch-${Math.random()}`;
  const losses: DatabaseLoss[] = [];
  let watch: DatabaseWatch | undefined;
  const real = openPubCacheDatabase({ name, factory, onConnectionLost: (reason) => watch?.connectionLost(reason) });
  const db = options.wrap ? options.wrap(real) : real;
  let ids = 0;
  watch = createDatabaseWatch({
    db,
    clock,
    newMarkerId: () => `marker-${++ids}`,
    onLost: async (loss) => void losses.push(loss),
  });
  cleanups.push(() => {
    watch.close();
    real.close();
  });
  /** Advances the clock in steps, letting IndexedDB work in between. */
  const pass = async (ms: number, step = 250) => {
    let t = 0;
    do {
      const next = Math.min(step, ms - t);
      await clock.advance(next);
      await idle();
      t += next;
    } while (t < ms);
  };
  return { factory, connections, clock, name, db, watch, losses, pass };
}

describe("database watch", () => {
  it("plants a marker at start and, while the database stays, never reports a loss", async () => {
    const { db, watch, losses, pass } = setup();
    watch.start();
    await pass(0);
    expect(await readMarker(db)).toMatchObject({ id: "marker-1" });
    await pass(60_000, 1_000);
    expect(losses).toEqual([]);
    expect(await readMarker(db)).toMatchObject({ id: "marker-1" });
  });

  it("site data cleared (connection closed by the browser, then the database deleted): one loss within a second, a new marker", async () => {
    const { factory, connections, clock, name, db, watch, losses, pass } = setup();
    watch.start();
    await pass(250);
    const cleared = clock.now();
    forceCloseDatabase(connections.at(-1)! as never);
    await deleteDatabase(factory, name);
    await pass(1_000);
    expect(losses).toEqual([{ detectedAt: cleared + 250, noticedBy: "closed" }]);
    expect(await readMarker(db)).toMatchObject({ id: "marker-2" });
    await pass(30_000, 1_000);
    expect(losses).toHaveLength(1);
  });

  it("the database deleted by another tab (versionchange without a version): noticed as deleted", async () => {
    const { factory, name, watch, losses, pass } = setup();
    watch.start();
    await pass(250);
    await deleteDatabase(factory, name);
    await pass(1_000);
    expect(losses.map((loss) => loss.noticedBy)).toEqual(["deleted"]);
  });

  it("evicted without any event: the periodic look finds it", async () => {
    const { factory, connections, name, watch, losses, pass } = setup();
    watch.start();
    await pass(250);
    // The connection is gone without an event (as after Safari drops it), then the data goes.
    connections.at(-1)!.close();
    await deleteDatabase(factory, name);
    await pass(5_000);
    expect(losses).toEqual([]);
    await pass(6_000);
    expect(losses.map((loss) => loss.noticedBy)).toEqual(["check"]);
  });

  it("a connection closed while the data stays (Safari in the background) is no loss", async () => {
    const { connections, watch, losses, pass } = setup();
    watch.start();
    await pass(250);
    forceCloseDatabase(connections.at(-1)! as never);
    await pass(2_000);
    expect(losses).toEqual([]);
  });

  it("a look that fails (storage unavailable for a moment) is tried again soon, then found", async () => {
    let failing = false;
    const { factory, connections, name, watch, losses, pass } = setup({
      wrap: (db) => ({
        name: db.name,
        close: () => db.close(),
        run: (mode, stores, fn) => (failing ? Promise.reject(new StorageError("unavailable", "not now")) : db.run(mode, stores, fn)),
      }),
    });
    watch.start();
    await pass(250);
    failing = true;
    forceCloseDatabase(connections.at(-1)! as never);
    await deleteDatabase(factory, name);
    await pass(1_500);
    expect(losses).toEqual([]);
    failing = false;
    await pass(2_500);
    expect(losses.map((loss) => loss.noticedBy)).toEqual(["closed"]);
  });

  it("close() stops looking: no timer remains", async () => {
    const { clock, factory, name, watch, losses, pass } = setup();
    watch.start();
    await pass(250);
    watch.close();
    watch.connectionLost("closed");
    expect(clock.pendingTimers).toBe(0);
    await deleteDatabase(factory, name);
    await pass(30_000, 1_000);
    expect(losses).toEqual([]);
  });
});
