import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { StorageError } from "./storage-error.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { createMemoryStorage } from "../storage/memory/memory-storage.js";
import type { PublicationStorage } from "./publication-storage.js";
import { cacheHarness, ID, record, settle } from "./testing/cache-harness.js";
import { publication } from "./testing/fake-publication-server.js";
import { FakeStorage } from "./testing/fake-storage.js";

describe("publication cache: storage", () => {
  it("delivers the stored value first, flagged as unconfirmed, then the server's", async () => {
    const storage = new FakeStorage(publication(ID, "v0"));
    const { clock, server, cache, start0 } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v0", "v1"]);
    expect(seen.values[0]).toMatchObject({ source: "storage", receivedAt: start0, lastConfirmedAt: undefined });
    expect(seen.values[1]).toMatchObject({ source: "stream", lastConfirmedAt: start0 });
    expect(storage.peek(ID)?.version).toBe("v1");
    cache.close();
  });

  it("a restarted cache starts from what the previous one stored (real memory storage)", async () => {
    const storage = createMemoryStorage();
    const first = cacheHarness({ storage });
    first.server.current = publication(ID, "v1");
    record(first.cache);
    await first.clock.advance(0);
    first.cache.close();

    const second = cacheHarness({ storage });
    second.server.pullFailure = Code.Unavailable;
    const seen = record(second.cache);
    await second.clock.advance(0);
    expect(seen.values.map((v) => [v.publication.version, v.source])).toEqual([["v1", "storage"]]);
    second.cache.close();
  });

  it("shows the stored value while the server is unreachable", async () => {
    const storage = new FakeStorage(publication(ID, "v0"));
    const { clock, server, cache } = cacheHarness({ storage });
    server.pullFailure = Code.Unavailable;
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v0"]);
    expect(cache.snapshot().state.kind).toBe("retrying");
    cache.close();
  });

  it("does not deliver or write again a server value identical to the stored one, but confirms it", async () => {
    const stored = publication(ID, "v1");
    const storage = new FakeStorage(stored);
    const { clock, server, cache, start0 } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1"]);
    expect(cache.snapshot().value).toMatchObject({ source: "storage", lastConfirmedAt: start0 });
    expect(storage.writes).toEqual([]);
    cache.close();
  });

  it("stores every value received, in order, and skips identical repeats", async () => {
    const storage = new FakeStorage();
    const { clock, server, cache } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    for (const version of ["v2", "v2", "v3"]) {
      server.publish(publication(ID, version));
      await clock.advance(1_000);
    }
    expect(storage.writes.map((p) => p.version)).toEqual(["v1", "v2", "v3"]);
    cache.close();
  });

  it("a storage without a value is normal: nothing reported", async () => {
    const { clock, server, cache, logger } = cacheHarness({ storage: new FakeStorage() });
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    expect(cache.snapshot().lastError).toBeUndefined();
    expect(logger.at("warn")).toEqual([]);
    cache.close();
  });

  it("a corrupt stored record is reported, treated as not found, and replaced by the next good value", async () => {
    const storage = new FakeStorage();
    storage.loadFailure = new StorageError("corrupt", "stored bytes do not decode");
    const { clock, server, cache, logger } = cacheHarness({ storage });
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.values).toEqual([]);
    expect(cache.snapshot().lastError).toMatchObject({ code: "storage-corrupt" });
    expect(logger.at("warn").some((e) => e.fields?.code === "corrupt")).toBe(true);

    server.publish(publication(ID, "v1"));
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1"]);
    expect(storage.peek(ID)?.version).toBe("v1");
    cache.close();
  });

  it("any other load failure is reported and not fatal", async () => {
    const storage = new FakeStorage();
    storage.loadFailure = new StorageError("unavailable", "database cannot be opened");
    const { clock, server, cache } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1"]);
    expect(cache.snapshot().state.kind).toBe("live");
    cache.close();
  });

  it("a refused write (quota) loses nothing: the value is delivered and kept, the error reported", async () => {
    const storage = new FakeStorage();
    storage.storeFailure = new StorageError("quota-exceeded", "no space left");
    const { clock, server, cache, logger } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v1"]);
    expect(cache.snapshot().value?.publication.version).toBe("v1");
    expect(cache.snapshot().lastError).toMatchObject({ code: "storage-quota-exceeded" });
    expect(cache.snapshot().state.kind).toBe("live");
    expect(logger.at("warn").some((e) => e.message === "storage store failed")).toBe(true);

    // The same value again is written this time: it never reached storage.
    storage.storeFailure = undefined;
    server.publish(publication(ID, "v1"));
    await clock.advance(0);
    expect(storage.peek(ID)?.version).toBe("v1");
    cache.close();
  });

  it("a storage slower than the server ends with the latest value, one write at a time", async () => {
    const gate = new GatedStorage();
    const { clock, server, cache } = cacheHarness({ storage: gate });
    server.current = publication(ID, "v1");
    record(cache);
    await clock.advance(0);
    for (const version of ["v2", "v3", "v4"]) {
      server.publish(publication(ID, version));
      await clock.advance(0);
    }
    expect(cache.snapshot().value?.publication.version).toBe("v4");
    expect(gate.inFlight).toBe(1);
    await gate.releaseAll();
    // v1 was in flight; v2 and v3 were superseded before their turn.
    expect(gate.stored.map((p) => p.version)).toEqual(["v1", "v4"]);
    cache.close();
  });

  it("a server value that arrives before a slow load is not replaced by the older stored one", async () => {
    const gate = new GatedStorage(publication(ID, "v0"));
    gate.holdLoads = true;
    const { clock, server, cache } = cacheHarness({ storage: gate });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    await gate.releaseAll();
    await settle();
    expect(seen.versions()).toEqual(["v1"]);
    cache.close();
  });
});

/** A storage whose loads and writes complete only when the test says so. */
class GatedStorage implements PublicationStorage {
  readonly stored: Publication[] = [];
  holdLoads = false;
  readonly #waiting: (() => void)[] = [];
  constructor(private readonly initial?: Publication) {}

  get inFlight(): number {
    return this.#waiting.length;
  }

  async releaseAll(): Promise<void> {
    while (this.#waiting.length > 0) {
      this.#waiting.shift()?.();
      await settle(2);
    }
  }

  async load(id: string): Promise<Publication> {
    if (this.holdLoads) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.initial?.id === id) return this.initial;
    throw new StorageError("not-found", id);
  }
  async store(publication: Publication): Promise<void> {
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.stored.push(publication);
  }
  async list(): Promise<string[]> {
    return [];
  }
  async delete(): Promise<boolean> {
    return false;
  }
}
