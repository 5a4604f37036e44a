import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakePubCacheClient } from "../../client/testing/fake-pub-cache-client.js";
import type { PublicationUpdate } from "../../entries/index.js";
import { DEFAULTS_GRACE_MS, followScreenConfig, storageLastGoodConfig, type ConfigOrigin } from "./config-follower.js";
import { DEFAULT_SCREEN_CONFIG, type ScreenConfig } from "./screen-config.js";

const ID = "lobby:config";

function update(version: string | undefined, body = "", kind: "live" | "connecting" | "retrying" = "live"): PublicationUpdate {
  const state = kind === "retrying" ? { kind, nextAttemptAt: 0, lastError: { code: "unavailable" as const, message: "", at: 0 } } : { kind };
  return {
    id: ID,
    state,
    value:
      version === undefined
        ? undefined
        : {
            publication: { id: ID, version, body: new TextEncoder().encode(body), mediaType: "application/json", audience: { name: "lobby" } } as never,
            source: "server",
            receivedAt: 0,
            lastConfirmedAt: 0,
          },
  } as PublicationUpdate;
}

function memoryStorage() {
  const items = new Map<string, string>();
  return { items, getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

function setup(storage = memoryStorage()) {
  const client = new FakePubCacheClient();
  const runs: Array<[ConfigOrigin, ScreenConfig]> = [];
  const follower = followScreenConfig({
    client,
    screen: "lobby",
    lastGood: storageLastGoodConfig(storage, "last-good"),
    onConfig: (config, origin) => void runs.push([origin, config]),
  });
  return { client, runs, follower, storage };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("followScreenConfig", () => {
  it("runs each good version once and acknowledges it ACCEPTED", async () => {
    const { client, runs } = setup();
    await vi.advanceTimersByTimeAsync(0);
    client.emit(update("v1", '{"show": ["a"], "pageSeconds": 5}'));
    client.emit(update("v1", '{"show": ["a"], "pageSeconds": 5}'));
    expect(runs).toEqual([["publication", { ...DEFAULT_SCREEN_CONFIG, show: ["a"], pageMs: 5_000, partMs: 5_000 }]]);
    expect(client.acknowledged[0]).toEqual({ id: ID, receipt: "accepted", options: { version: "v1" } });
  });

  it("refuses an invalid version with its reason (REJECTED) and keeps the last good one", async () => {
    const { client, runs, follower } = setup();
    await vi.advanceTimersByTimeAsync(0);
    client.emit(update("v1", '{"show": ["a"]}'));
    client.emit(update("v2", '{"show": "a"}'));
    expect(runs).toHaveLength(1);
    expect(follower.current()?.show).toEqual(["a"]);
    expect(follower.rejection()).toEqual({ version: "v2", reason: '"show" must be a list of publication ids (got "a")' });
    expect(client.acknowledged.at(-1)).toEqual({ id: ID, receipt: "rejected", options: { version: "v2", reason: '"show" must be a list of publication ids (got "a")' } });
  });

  it("starts with the last good configuration kept, even when the cached version is the refused one", async () => {
    const storage = memoryStorage();
    const first = setup(storage);
    await vi.advanceTimersByTimeAsync(0);
    first.client.emit(update("v1", '{"title": "Lobby"}'));
    first.follower.stop();

    const second = setup(storage);
    expect(second.runs).toEqual([["stored", { ...DEFAULT_SCREEN_CONFIG, title: "Lobby" }]]);
    await vi.advanceTimersByTimeAsync(0);
    second.client.emit(update("v2", "{broken", "retrying"));
    expect(second.runs).toHaveLength(1);
    expect(second.follower.current()?.title).toBe("Lobby");
  });

  it("runs the defaults when the server has no configuration for the screen, after a grace for its value to arrive", async () => {
    const { client, runs } = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([]);
    client.emit(update(undefined));
    await vi.advanceTimersByTimeAsync(DEFAULTS_GRACE_MS - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([["defaults", DEFAULT_SCREEN_CONFIG]]);
    // The first real one still replaces them.
    client.emit(update("v1", '{"title": "Lobby"}'));
    expect(runs.at(-1)?.[0]).toBe("publication");
  });

  it("does not run the defaults when the value arrives within the grace", async () => {
    const { client, runs } = setup();
    await vi.advanceTimersByTimeAsync(0);
    client.emit(update(undefined));
    client.emit(update("v1", '{"title": "Lobby"}'));
    await vi.advanceTimersByTimeAsync(DEFAULTS_GRACE_MS);
    expect(runs.map(([origin]) => origin)).toEqual(["publication"]);
  });
});
