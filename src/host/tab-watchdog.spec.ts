import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import { FakeClock } from "../core/testing/fake-clock.js";
import type { WatchdogEvent } from "../protocol/messages.js";
import { TabWatchdog, type WatchableTab, type WatchdogMemory } from "./tab-watchdog.js";

const URL_A = "https://kiosk.test/?screen=lobby";
const BEAT = 1_000;

function setup(options: { memory?: WatchdogMemory } = {}) {
  const clock = new FakeClock();
  const tabs = new Map<string, WatchableTab>([["tab-1", { id: "tab-1", url: URL_A, visible: true }]]);
  const reloads: string[] = [];
  const watchdog = new TabWatchdog({
    clock,
    logger: silentLogger,
    ...(options.memory && { memory: options.memory }),
    tabs: {
      list: async () => [...tabs.values()],
      async reload(tab) {
        reloads.push(tab.id);
      },
    },
  });
  /** The tab answers every beat for `ms`. */
  const answering = async (id: string, ms: number) => {
    for (let t = 0; t < ms; t += BEAT) {
      watchdog.heard(id, BEAT);
      await clock.advance(BEAT);
    }
  };
  return { clock, tabs, reloads, watchdog, answering };
}

function memoryOf(initial: readonly WatchdogEvent[] = []): WatchdogMemory & { saved: readonly WatchdogEvent[] } {
  const memory = {
    saved: initial,
    load: async () => memory.saved,
    async save(events: readonly WatchdogEvent[]) {
      memory.saved = events;
    },
  };
  return memory;
}

describe("TabWatchdog", () => {
  it("leaves a tab that answers alone", async () => {
    const { reloads, answering } = setup();
    await answering("tab-1", 60_000);
    expect(reloads).toEqual([]);
  });

  it("reloads a visible tab silent for three beats, once", async () => {
    const { clock, reloads, watchdog, answering } = setup();
    // Last heard a beat ago: two more silent beats are still within the limit, the third is not.
    await answering("tab-1", 5_000);
    await clock.advance(BEAT);
    expect(reloads).toEqual([]);
    await clock.advance(BEAT);
    expect(reloads).toEqual(["tab-1"]);
    expect(watchdog.events()).toEqual([{ url: URL_A, at: expect.any(Number), action: "reloaded", silentMs: 3 * BEAT }]);
    // Still silent (the navigation takes a while): not reloaded again.
    await clock.advance(20 * BEAT);
    expect(reloads).toEqual(["tab-1"]);
  });

  it("never judges a hidden tab, and counts silence only from when it is visible again", async () => {
    const { clock, tabs, reloads, answering } = setup();
    await answering("tab-1", 2_000);
    tabs.set("tab-1", { id: "tab-1", url: URL_A, visible: false });
    await clock.advance(120_000);
    expect(reloads).toEqual([]);
    tabs.set("tab-1", { id: "tab-1", url: URL_A, visible: true });
    await clock.advance(2 * BEAT);
    expect(reloads).toEqual([]);
    await clock.advance(3 * BEAT);
    expect(reloads).toEqual(["tab-1"]);
  });

  it("reloads an address at most once per 10 minutes: a second hang is held back, a later one reloads", async () => {
    const { clock, tabs, reloads, watchdog, answering } = setup();
    await answering("tab-1", 2_000);
    await clock.advance(5 * BEAT);
    expect(reloads).toEqual(["tab-1"]);
    // The reloaded page is a new client at the same address; it hangs again at once.
    tabs.clear();
    tabs.set("tab-2", { id: "tab-2", url: URL_A, visible: true });
    await answering("tab-2", 2_000);
    await clock.advance(5 * BEAT);
    expect(reloads).toEqual(["tab-1"]);
    expect(watchdog.events().map((event) => event.action)).toEqual(["reloaded", "held-back"]);
    // It recovers by itself, then hangs again after the 10 minutes.
    await answering("tab-2", 10 * 60_000);
    await clock.advance(5 * BEAT);
    expect(reloads).toEqual(["tab-1", "tab-2"]);
  });

  it("remembers its reloads across a worker restart", async () => {
    const memory = memoryOf();
    const first = setup({ memory });
    await first.answering("tab-1", 2_000);
    await first.clock.advance(5 * BEAT);
    expect(first.reloads).toEqual(["tab-1"]);
    first.watchdog.close();

    // A new worker (same time line): the reload a minute ago still counts.
    const second = new TabWatchdog({
      clock: first.clock,
      logger: silentLogger,
      memory,
      tabs: { list: async () => [{ id: "tab-9", url: URL_A, visible: true }], reload: async (tab) => void first.reloads.push(tab.id) },
    });
    await first.clock.advance(60_000);
    second.heard("tab-9", BEAT);
    await first.clock.advance(5 * BEAT);
    expect(first.reloads).toEqual(["tab-1"]);
    expect(second.events().map((event) => event.action)).toEqual(["reloaded", "held-back"]);
  });

  it("forgets closed tabs and stops checking when none is watched", async () => {
    const { clock, tabs, reloads, watchdog } = setup();
    watchdog.heard("tab-1", BEAT);
    tabs.clear();
    await clock.advance(10 * BEAT);
    expect(reloads).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("does not watch a tab that never said its heartbeat period", async () => {
    const { clock, reloads, watchdog } = setup();
    watchdog.heard("tab-1");
    await clock.advance(60_000);
    expect(reloads).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
