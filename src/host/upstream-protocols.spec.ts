import { describe, expect, it } from "vitest";
import type { ToPageMessage } from "../protocol/messages.js";
import { createCacheHost } from "./cache-host.js";
import {
  browserResourceTiming,
  watchUpstreamProtocols,
  type ResourceEntry,
  type ResourceTimingGlobals,
  type ResourceTimingSource,
} from "./resource-timing-protocols.js";
import { fakeFeeds, manualClock } from "./testing/host-fakes.js";
import { createUpstreamProtocolLog } from "./upstream-protocol-log.js";

const API = "/smartcore.traits.PublicationApi/";
const entry = (url: string, nextHopProtocol: string, responseEnd: number): ResourceEntry => ({ name: url, nextHopProtocol, responseEnd });

/** Resource Timing under the test's control: entries are delivered when the test says. */
function fakeSource(timeOrigin = 1_000_000) {
  let deliver: ((entries: readonly ResourceEntry[]) => void) | undefined;
  let full: (() => void) | undefined;
  let clears = 0;
  const source: ResourceTimingSource = {
    timeOrigin,
    observe(onEntries) {
      deliver = onEntries;
      return () => void (deliver = undefined);
    },
    onBufferFull(onFull) {
      full = onFull;
      return () => void (full = undefined);
    },
    clear: () => void clears++,
  };
  return {
    source,
    deliver: (...entries: ResourceEntry[]) => deliver?.(entries),
    fill: () => full?.(),
    get clears() {
      return clears;
    },
    get watching() {
      return deliver !== undefined && full !== undefined;
    },
  };
}

describe("upstream protocol log", () => {
  it("keeps the latest protocol per origin, since when it was first seen", () => {
    const log = createUpstreamProtocolLog();
    log.record("https://kiosk.test:8700", "http/1.1", 10);
    log.record("https://kiosk.test:8700", "http/1.1", 20);
    expect(log.entries()).toEqual([{ origin: "https://kiosk.test:8700", protocol: "http/1.1", since: 10 }]);
    log.record("https://kiosk.test:8700", "h2", 30);
    log.record("http://127.0.0.1:7000", "http/1.1", 40);
    expect(log.entries()).toEqual([
      { origin: "https://kiosk.test:8700", protocol: "h2", since: 30 },
      { origin: "http://127.0.0.1:7000", protocol: "http/1.1", since: 40 },
    ]);
  });

  it("records unknown (the browser did not say) only until a protocol is known, and never over one", () => {
    const log = createUpstreamProtocolLog();
    log.record("http://other.test", "", 10);
    expect(log.entries()).toEqual([{ origin: "http://other.test", since: 10 }]);
    log.record("http://other.test", "http/1.1", 20);
    log.record("http://other.test", "", 30);
    expect(log.entries()).toEqual([{ origin: "http://other.test", protocol: "http/1.1", since: 20 }]);
  });

  it("tells listeners of news only (a new origin, another protocol), not of every request", () => {
    const log = createUpstreamProtocolLog();
    let changes = 0;
    const stop = log.onChange(() => changes++);
    log.record("https://a.test", "h2", 1);
    log.record("https://a.test", "h2", 2);
    log.record("https://a.test", "", 3);
    expect(changes).toBe(1);
    log.record("https://a.test", "http/1.1", 4);
    log.record("https://b.test", "h2", 5);
    expect(changes).toBe(3);
    stop();
    log.record("https://c.test", "h2", 6);
    expect(changes).toBe(3);
  });

  it("keeps at most 16 origins, dropping the oldest news", () => {
    const log = createUpstreamProtocolLog();
    for (let i = 0; i < 20; i++) log.record(`https://s${i}.test`, "h2", i);
    const origins = log.entries().map((e) => e.origin);
    expect(origins).toHaveLength(16);
    expect(origins[0]).toBe("https://s4.test");
    expect(origins.at(-1)).toBe("https://s19.test");
  });
});

describe("reading protocols from Resource Timing", () => {
  it("records the host's Publication API calls per server origin, at the time they finished; ignores everything else", () => {
    const fake = fakeSource(1_000_000);
    const log = createUpstreamProtocolLog();
    watchUpstreamProtocols({ source: fake.source, log, isUpstream: (url) => url.pathname.includes(API) });
    fake.deliver(
      entry("http://localhost:4317/assets/index-abc.js", "http/1.1", 5),
      entry(`https://kiosk.test:8700${API}ListPublications`, "h2", 120.5),
      entry(`http://127.0.0.1:7000/base${API}GetPublication`, "", 130),
      entry("not a url", "h2", 140),
    );
    expect(log.entries()).toEqual([
      { origin: "https://kiosk.test:8700", protocol: "h2", since: 1_000_120.5 },
      { origin: "http://127.0.0.1:7000", since: 1_000_130 },
    ]);
    // A stream closes late, over the same connection: no news.
    fake.deliver(entry(`https://kiosk.test:8700${API}PullPublications`, "h2", 90_000));
    expect(log.entries()[0]).toEqual({ origin: "https://kiosk.test:8700", protocol: "h2", since: 1_000_120.5 });
  });

  it("clears the resource timing buffer when the browser says it is full, and stops when told", () => {
    const fake = fakeSource();
    const stop = watchUpstreamProtocols({ source: fake.source, log: createUpstreamProtocolLog(), isUpstream: () => true });
    fake.fill();
    fake.fill();
    expect(fake.clears).toBe(2);
    expect(fake.watching).toBe(true);
    stop();
    expect(fake.watching).toBe(false);
  });

  it("observes the browser's buffered resource entries and listens for a full buffer on its performance object", () => {
    const observed: unknown[] = [];
    const listeners = new Map<string, unknown>();
    let callback: ((list: { getEntries(): readonly unknown[] }) => void) | undefined;
    let disconnected = false;
    let cleared = 0;
    class FakeObserver {
      static readonly supportedEntryTypes = ["mark", "resource"];
      constructor(cb: (list: { getEntries(): readonly unknown[] }) => void) {
        callback = cb;
      }
      observe(options: unknown) {
        observed.push(options);
      }
      disconnect() {
        disconnected = true;
      }
    }
    const globals = {
      performance: {
        timeOrigin: 500,
        clearResourceTimings: () => void cleared++,
        addEventListener: (type: string, listener: unknown) => void listeners.set(type, listener),
        removeEventListener: (type: string) => void listeners.delete(type),
      },
      PerformanceObserver: FakeObserver,
    } as unknown as ResourceTimingGlobals;
    const source = browserResourceTiming(globals)!;
    const log = createUpstreamProtocolLog();
    const stop = watchUpstreamProtocols({ source, log, isUpstream: () => true });
    expect(observed).toEqual([{ type: "resource", buffered: true }]);
    callback!({ getEntries: () => [entry("https://kiosk.test/x", "h2", 10)] });
    expect(log.entries()).toEqual([{ origin: "https://kiosk.test", protocol: "h2", since: 510 }]);
    (listeners.get("resourcetimingbufferfull") as () => void)();
    expect(cleared).toBe(1);
    stop();
    expect(disconnected).toBe(true);
    expect(listeners.size).toBe(0);
  });

  it("is not there where the runtime has no resource timing", () => {
    expect(browserResourceTiming({})).toBeUndefined();
    const noResource = { performance: {}, PerformanceObserver: { supportedEntryTypes: ["mark"] } } as unknown as ResourceTimingGlobals;
    expect(browserResourceTiming(noResource)).toBeUndefined();
  });
});

describe("cache host: upstream protocols reach pages", () => {
  function setup() {
    const sent: ToPageMessage[] = [];
    const upstreams = createUpstreamProtocolLog();
    const host = createCacheHost({
      hostId: "host-1",
      broadcast: (m) => void sent.push(m),
      createFeed: fakeFeeds().createFeed,
      clearStorage: async () => {},
      clock: manualClock(),
      upstreams,
    });
    const protocolMessages = () => sent.filter((m) => m.type === "upstream-protocols");
    return { host, upstreams, protocolMessages };
  }
  const goodbye = (clientId: string) => ({ v: 1, type: "goodbye", clientId });
  const wake = (clientId: string) => ({ v: 1, type: "wake", clientId });

  it("broadcasts every origin's protocol on each change", () => {
    const { upstreams, protocolMessages } = setup();
    upstreams.record("https://kiosk.test:8700", "h2", 10);
    upstreams.record("https://kiosk.test:8700", "h2", 20);
    upstreams.record("http://127.0.0.1:7000", "http/1.1", 30);
    expect(protocolMessages()).toEqual([
      { v: 1, type: "upstream-protocols", upstreams: [{ origin: "https://kiosk.test:8700", protocol: "h2", since: 10 }] },
      {
        v: 1,
        type: "upstream-protocols",
        upstreams: [
          { origin: "https://kiosk.test:8700", protocol: "h2", since: 10 },
          { origin: "http://127.0.0.1:7000", protocol: "http/1.1", since: 30 },
        ],
      },
    ]);
  });

  it("tells a tab new to the host what it knows, and says nothing before it knows anything", () => {
    const { host, upstreams, protocolMessages } = setup();
    host.receive(wake("tab-a"));
    expect(protocolMessages()).toEqual([]);
    upstreams.record("https://kiosk.test:8700", "h2", 10);
    expect(protocolMessages()).toHaveLength(1);
    host.receive(wake("tab-a"));
    expect(protocolMessages()).toHaveLength(1);
    host.receive(wake("tab-b"));
    expect(protocolMessages()).toHaveLength(2);
    host.receive(goodbye("tab-b"));
    host.receive(wake("tab-b"));
    expect(protocolMessages()).toHaveLength(3);
  });

  it("reads the protocols only while it hosts: from resume() to close()", async () => {
    const calls: string[] = [];
    const host = createCacheHost({
      hostId: "host-1",
      broadcast: () => {},
      createFeed: fakeFeeds().createFeed,
      clearStorage: async () => {},
      clock: manualClock(),
      upstreamWatch: { start: () => void calls.push("start"), close: () => void calls.push("close") },
    });
    expect(calls).toEqual([]);
    await host.resume();
    expect(calls).toEqual(["start"]);
    await host.close();
    expect(calls).toEqual(["start", "close"]);
  });

  it("stops broadcasting once closed", async () => {
    const { host, upstreams, protocolMessages } = setup();
    await host.close();
    upstreams.record("https://kiosk.test:8700", "h2", 10);
    expect(protocolMessages()).toEqual([]);
  });
});
