import { describe, expect, it } from "vitest";
import { Mailbox } from "./mailbox.js";

const never = new AbortController().signal;

describe("Mailbox", () => {
  it("in 'every' mode hands out every item in order, then reports the end once closed and drained", async () => {
    const box = new Mailbox<number>("every");
    box.push(1);
    box.push(2);
    box.close();
    box.push(3); // after close: ignored
    expect([await box.take(never), await box.take(never), await box.take(never)]).toEqual([1, 2, undefined]);
  });

  it("in 'latest' mode keeps only the newest item not yet taken", async () => {
    const box = new Mailbox<number>("latest");
    box.push(1);
    box.push(2);
    box.push(3);
    expect(await box.take(never)).toBe(3);
    box.push(4);
    expect(await box.take(never)).toBe(4);
  });

  it("wakes a waiting taker on push, and resolves undefined when the signal aborts", async () => {
    const box = new Mailbox<string>("every");
    const waiting = box.take(never);
    box.push("x");
    expect(await waiting).toBe("x");

    const controller = new AbortController();
    const aborted = box.take(controller.signal);
    controller.abort();
    expect(await aborted).toBeUndefined();
  });
});
