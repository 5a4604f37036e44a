import { afterEach, describe, expect, it, vi } from "vitest";
import { failed } from "./json-body.js";
import { createJsonParser, INLINE_JSON_BYTES } from "./json-parser.js";

/** A worker the test answers for: what was posted, and its event handlers. */
class FakeWorker {
  readonly posted: Array<{ id: number; bytes: Uint8Array }> = [];
  terminated = false;
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: MessageEvent<unknown>) => void) | null = null;
  postMessage(message: { id: number; bytes: Uint8Array }) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  answer(data: unknown) {
    this.onmessage?.({ data } as MessageEvent<unknown>);
  }
}

function setUp(workerTimeoutMs?: number) {
  const worker = new FakeWorker();
  const parser = createJsonParser({ startWorker: () => worker as unknown as Worker, ...(workerTimeoutMs !== undefined && { workerTimeoutMs }) });
  return { worker, parser };
}

/** A JSON body larger than what is parsed inline. */
function largeBody(key = "constructor"): Uint8Array {
  const filler = "x".repeat(INLINE_JSON_BYTES);
  return new TextEncoder().encode(JSON.stringify({ [key]: { a: 1 }, filler }));
}

afterEach(() => void vi.useRealTimers());

describe("the JSON parser: every body gets an answer", () => {
  it("parses a small body at once, on the page", () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(new TextEncoder().encode('{"constructor":{"a":1}}'));
    expect(parsed).toMatchObject({ view: { kind: "fields", fields: [{ label: "Constructor" }] } });
    expect(worker.posted).toHaveLength(0);
  });

  it("a large body goes to the worker, and its answer is used", async () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(largeBody());
    expect(worker.posted).toHaveLength(1);
    const answer = { view: { kind: "value", text: "from the worker" }, site: undefined };
    worker.answer({ id: worker.posted[0]!.id, result: answer });
    await expect(parsed).resolves.toEqual(answer);
  });

  it("a worker's answer that the body cannot be shown is taken as it is", async () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(largeBody());
    worker.answer({ id: worker.posted[0]!.id, result: failed("could not be read: out of memory") });
    await expect(parsed).resolves.toEqual(failed("could not be read: out of memory"));
  });

  it("an answer that does not validate (no view and no reason) is parsed again on the page", async () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(largeBody());
    worker.answer({ id: worker.posted[0]!.id, result: { view: undefined } });
    await expect(parsed).resolves.toMatchObject({ view: { kind: "fields", fields: [{ label: "Constructor" }, { label: "Filler" }] } });
  });

  it("a worker that fails: what it held is parsed on the page, later bodies too", async () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(largeBody("__proto__"));
    worker.onerror?.(new Event("error"));
    expect(worker.terminated).toBe(true);
    await expect(parsed).resolves.toMatchObject({ view: { kind: "fields", fields: [{ label: "Proto" }, { label: "Filler" }] } });
    expect(parser.parse(largeBody("toString"))).toMatchObject({ view: { kind: "fields", fields: [{ label: "To string" }, { label: "Filler" }] } });
  });

  it("a message that does not arrive intact counts as a failed worker", async () => {
    const { worker, parser } = setUp();
    const parsed = parser.parse(largeBody());
    worker.onmessageerror?.({} as MessageEvent<unknown>);
    expect(worker.terminated).toBe(true);
    await expect(parsed).resolves.toMatchObject({ view: { kind: "fields" } });
  });

  it("a body the worker never answers for is given up after the timeout, with the reason", async () => {
    vi.useFakeTimers();
    const { worker, parser } = setUp(30_000);
    const stuck = parser.parse(largeBody());
    const queued = parser.parse(largeBody("valueOf"));
    let answered = false;
    void Promise.resolve(stuck).then(() => void (answered = true));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(stuck).resolves.toEqual(failed("could not be read: it took longer than 30 s"));
    expect(worker.terminated).toBe(true);
    // The one behind it in the worker's queue is parsed on the page instead.
    await expect(queued).resolves.toMatchObject({ view: { kind: "fields", fields: [{ label: "Value of" }, { label: "Filler" }] } });
  });

  it("where no worker can start, every body is parsed on the page", () => {
    const parser = createJsonParser({
      startWorker: () => {
        throw new Error("no workers here");
      },
    });
    expect(parser.parse(largeBody())).toMatchObject({ view: { kind: "fields" } });
  });
});
