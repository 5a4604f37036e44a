import { describe, expect, it } from "vitest";
import { EnginePool } from "./engine-pool.js";
import { FakeEngine } from "./testing/host-fakes.js";

const ref = (id: string) => ({ server: "http://127.0.0.1:7000", device: "dev", id, partition: "" });

describe("engine pool", () => {
  it("hands every caller the same idle promise during a busy period (nothing piles up per call), a new one after", async () => {
    const pool = new EnginePool((r, tuning) => new FakeEngine(r, tuning), () => undefined);
    await expect(pool.whenIdle()).resolves.toBeUndefined();
    const running = pool.start(ref("x"), undefined, false);
    const first = pool.whenIdle();
    expect(pool.whenIdle()).toBe(first);
    let idle = false;
    void first.then(() => (idle = true));
    await pool.stop(running);
    await first;
    expect(idle).toBe(true);

    pool.start(ref("y"), undefined, false);
    const second = pool.whenIdle();
    expect(second).not.toBe(first);
    await pool.stopAll();
    await expect(second).resolves.toBeUndefined();
  });
});
