import { afterEach, describe, expect, it, vi } from "vitest";
import type { ToPageMessage } from "../protocol/messages.js";
import { openPageChannel } from "./page-channel.js";

const server = "http://127.0.0.1:9/";

/** A channel whose arrivals the test makes, one `onmessage` call each. */
function fakeChannel() {
  const channel = { onmessage: null, onmessageerror: null, postMessage: vi.fn(), close: vi.fn() } as unknown as BroadcastChannel;
  const arrive = (data: unknown) => (channel.onmessage as (event: MessageEvent<unknown>) => void)({ data } as MessageEvent<unknown>);
  return { channel, arrive };
}

function open() {
  const { channel, arrive } = fakeChannel();
  const seen: ToPageMessage[] = [];
  const page = openPageChannel(
    (message) => void seen.push(message),
    (report) => void seen.push(report),
    channel,
  );
  return { page, arrive, seen };
}

const contacts = (heardAt: number) => ({ v: 1, type: "server-contacts", contacts: [{ server, heardAt }] });

afterEach(() => {
  vi.doUnmock("./host-report-inbox.js");
});

describe("the page's end of the channel", () => {
  it("hands on the host's reports, validated, in the order they came; other messages at once", async () => {
    const { page, arrive, seen } = open();
    arrive(contacts(1));
    arrive({ v: 1, type: "host-ready", hostId: "h" });
    arrive({ v: 1, type: "server-contacts", contacts: [{ server: "javascript:alert(1)" }] });
    arrive(contacts(2));
    expect(seen.map((m) => m.type)).toEqual(["host-ready"]);
    await vi.waitFor(() => expect(page.counters).toEqual({ received: 3, dropped: 1 }));
    expect(seen).toEqual([{ v: 1, type: "host-ready", hostId: "h" }, contacts(1), contacts(2)]);
  });

  it("hands on no report once closed", async () => {
    const { page, arrive, seen } = open();
    arrive(contacts(1));
    page.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await import("./host-report-inbox.js");
    await Promise.resolve();
    expect(seen).toEqual([]);
    expect(page.counters).toEqual({ received: 0, dropped: 0 });
  });

  it("drops and counts a report whose table cannot be loaded, and loads it again for the next", async () => {
    vi.resetModules();
    vi.doMock("./host-report-inbox.js", () => {
      throw new Error("Failed to fetch dynamically imported module");
    });
    const { openPageChannel: openFresh } = await import("./page-channel.js");
    const { channel, arrive } = fakeChannel();
    const seen: ToPageMessage[] = [];
    const page = openFresh(
      (message) => void seen.push(message),
      (report) => void seen.push(report),
      channel,
    );
    arrive(contacts(1));
    await vi.waitFor(() => expect(page.counters).toEqual({ received: 0, dropped: 1 }));
    vi.doUnmock("./host-report-inbox.js");
    arrive(contacts(2));
    await vi.waitFor(() => expect(page.counters).toEqual({ received: 1, dropped: 1 }));
    expect(seen).toEqual([contacts(2)]);
  });
});
