import { describe, expect, it } from "vitest";
import { StorageError } from "../storage-error.js";
import { FakeStorage } from "../testing/fake-storage.js";
import { feedHarness, pub, settle, watchView } from "../testing/feed-harness.js";

describe("device feed: storage lost while running", () => {
  it("writes every value it holds back once storage says it lost them, and only then", async () => {
    const storage = new FakeStorage();
    const { server, feed, clock } = feedHarness({ storage });
    server.seed(pub("a", "v1"), pub("b", "v1"));
    const a = watchView(feed.open("a"));
    watchView(feed.open("b"));
    await clock.advance(2_000);
    expect(storage.writes.map((p) => `${p.id}@${p.version}`).sort()).toEqual(["a@v1", "b@v1"]);

    // The same values again from the server: nothing is rewritten (storage is believed to hold them).
    server.endStreams();
    await clock.advance(20_000);
    expect(storage.writes).toHaveLength(2);

    // Wiped: the held values go back, the value each view shows is unchanged.
    for (const id of ["a", "b"]) await storage.delete(id);
    await expect(feed.storageLost()).resolves.toBe(2);
    expect(storage.peek("a")?.version).toBe("v1");
    expect(storage.peek("b")?.version).toBe("v1");
    expect(storage.writes).toHaveLength(4);
    expect(a.versions()).toEqual(["v1"]);
    feed.close();
  });

  it("a value loaded from storage (never received) is written back too; a publication with no value is not counted", async () => {
    const storage = new FakeStorage(pub("a", "v0"));
    const { feed, clock } = feedHarness({ storage });
    const a = watchView(feed.open("a"));
    watchView(feed.open("empty"));
    await clock.advance(0);
    expect(a.versions()).toEqual(["v0"]);
    await storage.delete("a");

    await expect(feed.storageLost()).resolves.toBe(1);
    expect(storage.peek("a")?.version).toBe("v0");
    expect(storage.peek("empty")).toBeUndefined();
    feed.close();
  });

  it("a write that fails again is not counted and is reported in the snapshot; the value stays shown", async () => {
    const storage = new FakeStorage();
    const { server, feed, clock } = feedHarness({ storage });
    server.seed(pub("a", "v1"));
    const a = watchView(feed.open("a"));
    await clock.advance(2_000);
    storage.storeFailure = new StorageError("unavailable", "database gone");

    await expect(feed.storageLost()).resolves.toBe(0);
    await settle();
    expect(a.snapshots.at(-1)?.lastError).toMatchObject({ code: "storage-unavailable" });
    expect(a.snapshots.at(-1)?.value?.publication.version).toBe("v1");

    storage.storeFailure = undefined;
    await expect(feed.storageLost()).resolves.toBe(1);
    feed.close();
  });

  it("writes back the newest value when one arrives while the rewrite runs", async () => {
    const storage = new FakeStorage();
    const { server, feed, clock } = feedHarness({ storage });
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    await clock.advance(2_000);
    const rewriting = feed.storageLost();
    server.publish(pub("a", "v2"));
    await clock.advance(0);
    await expect(rewriting).resolves.toBe(1);
    await settle();
    expect(storage.peek("a")?.version).toBe("v2");
    feed.close();
  });

  it("a closed feed holds nothing and writes nothing", async () => {
    const storage = new FakeStorage();
    const { server, feed, clock } = feedHarness({ storage });
    server.seed(pub("a", "v1"));
    watchView(feed.open("a"));
    await clock.advance(2_000);
    feed.close();
    await expect(feed.storageLost()).resolves.toBe(0);
    expect(storage.writes).toHaveLength(1);
  });
});
