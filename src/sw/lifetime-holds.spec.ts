import { afterEach, describe, expect, it, vi } from "vitest";
import { createLifetimeHolds } from "./lifetime-holds.js";

afterEach(() => vi.useRealTimers());

/** An extendable event whose waitUntil promises the test can watch. */
function event() {
  const state = { settled: false };
  return {
    state,
    waitUntil(promise: Promise<unknown>) {
      void promise.then(() => (state.settled = true));
    },
  } as unknown as ExtendableEvent & { state: { settled: boolean } };
}

/** A worker scope with no registration events (no successor ever waits). */
const scope = {} as ServiceWorkerGlobalScope;

const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => Promise.resolve());

describe("lifetime holds", () => {
  it("holds only the newest message: the previous hold ends once the next one holds", async () => {
    vi.useFakeTimers();
    const busy = new Promise<void>(() => undefined);
    const holds = createLifetimeHolds(scope, () => busy, 150_000);
    const first = event();
    const second = event();
    holds.hold(first);
    await flush();
    expect(first.state.settled).toBe(false);
    holds.hold(second);
    await flush();
    expect(first.state.settled).toBe(true);
    expect(second.state.settled).toBe(false);
    // The newest lasts its full term, then lets go.
    await vi.advanceTimersByTimeAsync(149_999);
    expect(second.state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.state.settled).toBe(true);
  });

  it("keeps one timer and one idle reaction however many messages a busy period brings", async () => {
    vi.useFakeTimers();
    let idle!: () => void;
    const busy = new Promise<void>((resolve) => (idle = resolve));
    const asked = vi.fn(() => busy);
    const holds = createLifetimeHolds(scope, asked, 150_000);
    const events = Array.from({ length: 1_000 }, event);
    for (const e of events) holds.hold(e);
    await flush();
    expect(vi.getTimerCount()).toBe(1);
    expect(events.filter((e) => !e.state.settled)).toHaveLength(1);
    // Idle: the last hold ends at once.
    idle();
    await flush();
    expect(events.every((e) => e.state.settled)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("with nothing running, a hold ends at once", async () => {
    const holds = createLifetimeHolds(scope, () => Promise.resolve(), 150_000);
    const e = event();
    holds.hold(e);
    await flush();
    await flush();
    expect(e.state.settled).toBe(true);
  });
});
