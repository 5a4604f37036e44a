import { describe, expect, it } from "vitest";
import { KeyedLock } from "./keyed-lock.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("KeyedLock", () => {
  it("runs tasks for one key one at a time, in arrival order", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const gate = deferred();
    const first = lock.run("a", async () => {
      events.push("first start");
      await gate.promise;
      events.push("first end");
    });
    const second = lock.run("a", () => events.push("second"));
    await Promise.resolve();
    expect(events).toEqual(["first start"]);
    gate.resolve();
    await Promise.all([first, second]);
    expect(events).toEqual(["first start", "first end", "second"]);
  });

  it("lets other keys run while one key is busy", async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const busy = lock.run("a", () => gate.promise);
    expect(await lock.run("b", () => "b ran")).toBe("b ran");
    gate.resolve();
    await busy;
  });

  it("passes a failure to its caller only and keeps the queue going", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("a", () => {
      throw new Error("boom");
    });
    const next = lock.run("a", () => "next ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next ran");
  });
});
