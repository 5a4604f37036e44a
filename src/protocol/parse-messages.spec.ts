import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import type { CacheSnapshot } from "../core/cache-types.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { isAddressed, MESSAGES, parseMessage, parseToHostMessage, parseToPageMessage } from "./parse-messages.js";
import { HOST_REPORTS } from "./host-reports.js";
import { isHostReport } from "./message-spec.js";
import { TO_HOST_MESSAGES } from "./to-host-messages.js";
import { TO_PAGE_MESSAGES } from "./to-page-messages.js";
import { toWireSnapshot, toWireStateChange } from "./to-wire-snapshot.js";
import { fromWireSnapshot } from "./wire-snapshot.js";

const ref = { server: "http://127.0.0.1:7000/", device: "dev", id: "welcome", partition: "" };

describe("parseToHostMessage", () => {
  it("accepts a well-formed subscribe with tuning", () => {
    const message = { v: 1, type: "subscribe", clientId: "c1", claim: { ref, tuning: { backoffMinMs: 200 } } };
    expect(parseToHostMessage(message)).toEqual(message);
  });

  it("drops messages of another protocol version", () => {
    expect(parseToHostMessage({ v: 2, type: "goodbye", clientId: "c1" })).toBeUndefined();
    expect(parseToHostMessage({ type: "goodbye", clientId: "c1" })).toBeUndefined();
  });

  it("drops unknown types and non-objects", () => {
    for (const raw of [null, undefined, 42, "heartbeat", [], { v: 1, type: "reboot" }]) {
      expect(parseToHostMessage(raw)).toBeUndefined();
    }
  });

  it("refuses servers that are not http(s) URLs", () => {
    for (const server of ["javascript:alert(1)", "/relative", "data:text/plain,x", 7]) {
      const message = { v: 1, type: "subscribe", clientId: "c1", claim: { ref: { ...ref, server } } };
      expect(parseToHostMessage(message)).toBeUndefined();
    }
  });

  it("refuses an empty publication id", () => {
    const message = { v: 1, type: "unsubscribe", clientId: "c1", ref: { ...ref, id: "" } };
    expect(parseToHostMessage(message)).toBeUndefined();
  });

  it("refuses tuning that would make the engine spin", () => {
    const message = { v: 1, type: "subscribe", clientId: "c1", claim: { ref, tuning: { pollIntervalMs: 1 } } };
    expect(parseToHostMessage(message)).toBeUndefined();
  });

  it("drops a heartbeat if any one claim is malformed", () => {
    const message = { v: 1, type: "heartbeat", clientId: "c1", claims: [{ ref }, { ref: { ...ref, device: 5 } }] };
    expect(parseToHostMessage(message)).toBeUndefined();
    expect(parseToHostMessage({ ...message, claims: [{ ref }] })).toEqual({ ...message, claims: [{ ref }] });
  });

  it("reads a heartbeat's period (the watchdog's unit), and drops one that is not a sane period", () => {
    const message = { v: 1, type: "heartbeat", clientId: "c1", claims: [{ ref }], heartbeatMs: 5_000 };
    expect(parseToHostMessage(message)).toEqual(message);
    for (const heartbeatMs of [0, -1, Number.NaN, "5000", 3_600_000]) expect(parseToHostMessage({ ...message, heartbeatMs })).toBeUndefined();
  });

  it("keeps only known fields", () => {
    const parsed = parseToHostMessage({ v: 1, type: "goodbye", clientId: "c1", extra: { evil: true } });
    expect(parsed).toEqual({ v: 1, type: "goodbye", clientId: "c1" });
  });

  it("does not read page-bound messages as host messages", () => {
    expect(parseToHostMessage({ v: 1, type: "host-ready", hostId: "h" })).toBeUndefined();
  });
});

describe("the protocol table", () => {
  it("names every message once, with its direction and version; 'not for me' is told from malformed", () => {
    const toHost = Object.entries(MESSAGES).filter(([, spec]) => spec.direction === "to-host").map(([type]) => type);
    expect(toHost.sort()).toEqual(["acknowledge", "clear", "goodbye", "heartbeat", "subscribe", "token", "unsubscribe", "unwatch-device", "wake", "watch-device"]);
    expect(Object.values(MESSAGES).every((spec) => spec.version === 1)).toBe(true);
    expect(isAddressed({ v: 1, type: "snapshot", junk: true }, "to-page")).toBe(true);
    expect(isAddressed({ v: 1, type: "snapshot" }, "to-host")).toBe(false);
    expect(isAddressed({ v: 2, type: "snapshot" }, "to-page")).toBe(false);
    expect(isAddressed({ v: 1, type: "constructor" }, "to-page")).toBe(false);
    expect(parseMessage({ v: 1, type: "wake", clientId: "tab" }, "to-host")).toEqual({ v: 1, type: "wake", clientId: "tab" });
    expect(parseMessage({ v: 1, type: "wake", clientId: "tab" }, "to-page")).toBeUndefined();
  });

  it("is one table per direction (and one for the host's reports), and each side tells the other side's types, and reports, by name alone", () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...Object.keys(TO_HOST_MESSAGES), ...Object.keys(TO_PAGE_MESSAGES), ...Object.keys(HOST_REPORTS)].sort());
    expect(Object.values(TO_HOST_MESSAGES).every((spec) => spec.direction === "to-host")).toBe(true);
    expect(Object.values(TO_PAGE_MESSAGES).every((spec) => spec.direction === "to-page")).toBe(true);
    expect(Object.values(HOST_REPORTS).every((spec) => spec.direction === "to-page")).toBe(true);
    for (const [type, spec] of Object.entries(MESSAGES)) {
      const other = spec.direction === "to-host" ? "to-page" : "to-host";
      expect(isAddressed({ v: 1, type }, spec.direction), type).toBe(true);
      expect(isAddressed({ v: 1, type }, other), type).toBe(false);
      expect(isHostReport({ v: 1, type }), type).toBe(Object.hasOwn(HOST_REPORTS, type));
    }
    expect(isHostReport({ v: 2, type: "receipts" })).toBe(false);
  });
});

describe("parseToPageMessage", () => {
  const snapshot: CacheSnapshot = {
    value: {
      publication: create(PublicationSchema, {
        id: "welcome",
        version: "v1",
        body: new TextEncoder().encode("hello"),
        mediaType: "text/plain",
        publishTime: timestampFromMs(1_700_000_000_000),
      }),
      source: "stream",
      receivedAt: 1_700_000_000_100,
      lastConfirmedAt: 1_700_000_000_100,
    },
    state: { kind: "live" },
  };

  it("round-trips a snapshot through the wire shape", () => {
    const message = { v: 1, type: "snapshot", ref, snapshot: toWireSnapshot(snapshot) };
    const parsed = parseToPageMessage(structuredClone(message));
    expect(parsed?.type).toBe("snapshot");
    const back = parsed?.type === "snapshot" ? fromWireSnapshot(parsed.snapshot) : undefined;
    expect(back?.value?.publication.version).toBe("v1");
    expect(new TextDecoder().decode(back?.value?.publication.body)).toBe("hello");
    expect(back?.state).toEqual({ kind: "live" });
  });

  it("round-trips a state change: the value's version and freshness, no bytes; drops a malformed one", () => {
    const change = toWireStateChange(toWireSnapshot(snapshot), "v1");
    expect(change).toEqual({ value: { version: "v1", source: "stream", receivedAt: 1_700_000_000_100, lastConfirmedAt: 1_700_000_000_100 }, state: { kind: "live" } });
    const parsed = parseToPageMessage(structuredClone({ v: 1, type: "state", ref, change }));
    expect(parsed).toEqual({ v: 1, type: "state", ref, change });
    expect(parseToPageMessage({ v: 1, type: "state", ref, change: { ...change, value: { ...change.value, version: 7 } } })).toBeUndefined();
    expect(parseToPageMessage({ v: 1, type: "state", ref, change: { state: { kind: "exploded" } } })).toBeUndefined();
  });

  it("keeps the retry time and error of a retrying state, without extra error fields", () => {
    const error = Object.assign({ code: "unknown" as const, message: "network error", at: 5 }, { stack: "secret" });
    const wire = toWireSnapshot({ value: undefined, state: { kind: "retrying", nextAttemptAt: 99, lastError: error } });
    expect(wire).toEqual({ state: { kind: "retrying", nextAttemptAt: 99, lastError: { code: "unknown", message: "network error", at: 5 } } });
    const parsed = parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: wire });
    expect(parsed).toBeDefined();
  });

  it("drops a snapshot whose publication is not bytes or whose state is unknown", () => {
    const good = toWireSnapshot(snapshot);
    expect(parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: { ...good, state: { kind: "exploded" } } })).toBeUndefined();
    const badValue = { ...good, value: { ...good.value, publication: "aGVsbG8=" } };
    expect(parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: badValue })).toBeUndefined();
  });

  it("drops a snapshot whose error code is not one the cache defines", () => {
    const wire = toWireSnapshot({ ...snapshot, lastError: { code: "invalid-publication", message: "x", at: 1 } });
    const forged = { ...wire, lastError: { code: "<img src=x>", message: "x", at: 1 } };
    expect(parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: forged })).toBeUndefined();
    expect(parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: wire })).toBeDefined();
  });

  it("carries a rejected-publication error next to a live state", () => {
    const lastError = { code: "invalid-publication", message: "wrong id", at: 7 } as const;
    const wire = toWireSnapshot({ ...snapshot, lastError });
    const parsed = parseToPageMessage({ v: 1, type: "snapshot", ref, snapshot: structuredClone(wire) });
    const back = parsed?.type === "snapshot" ? fromWireSnapshot(parsed.snapshot) : undefined;
    expect(back?.lastError).toEqual(lastError);
    expect(back?.state).toEqual({ kind: "live" });
  });

  it("reports undecodable publication bytes as undefined rather than throwing", () => {
    const wire = { state: { kind: "live" as const }, value: { publication: new Uint8Array([0xff, 0xff, 0xff]), source: "stream" as const, receivedAt: 1 } };
    expect(fromWireSnapshot(wire)).toBeUndefined();
  });

  it("accepts receipts with or without a policy refusal; drops a refusal time that is not one", () => {
    const receipt = { device: "dev", id: "cfg", version: "v1", receipt: "accepted", status: "refused", updatedAt: 9 };
    const server = "http://127.0.0.1:7000";
    expect(parseToPageMessage({ v: 1, type: "receipts", server, receipts: [receipt] })).toEqual({ v: 1, type: "receipts", server, receipts: [receipt] });
    expect(parseToPageMessage({ v: 1, type: "receipts", server, receipts: [receipt], refusedSince: 9 })).toMatchObject({ refusedSince: 9 });
    for (const refusedSince of ["9", -1, Number.NaN, null]) {
      expect(parseToPageMessage({ v: 1, type: "receipts", server, receipts: [receipt], refusedSince }), String(refusedSince)).toBeUndefined();
    }
  });

  it("accepts storage recoveries (done and waiting) and keeps only their known fields", () => {
    const recoveries = [
      { storage: "database", detectedAt: 1_000, restoredAt: 1_200, restored: 4 },
      { storage: "app-files", detectedAt: 1_000, restored: 0 },
    ];
    const message = { v: 1, type: "storage-recoveries", recoveries: recoveries.map((r) => ({ ...r, extra: "<b>" })) };
    expect(parseToPageMessage(structuredClone(message))).toEqual({ v: 1, type: "storage-recoveries", recoveries });
  });

  it("drops storage recoveries of an unknown storage, with bad counts or times, or too many", () => {
    const good = { storage: "database", detectedAt: 1_000, restored: 4 };
    for (const bad of [
      { ...good, storage: "cookies" },
      { ...good, restored: -1 },
      { ...good, restored: 1.5 },
      { ...good, detectedAt: "yesterday" },
      { ...good, restoredAt: Number.NaN },
    ]) {
      expect(parseToPageMessage({ v: 1, type: "storage-recoveries", recoveries: [bad] })).toBeUndefined();
    }
    expect(parseToPageMessage({ v: 1, type: "storage-recoveries", recoveries: Array.from({ length: 21 }, () => good) })).toBeUndefined();
  });

  it("accepts watchdog events, and drops one with an unknown action, a bad time, or too many", () => {
    const events = [
      { url: "https://kiosk.test/?screen=lobby", at: 1_000, action: "reloaded", silentMs: 15_000 },
      { url: "https://kiosk.test/?screen=lobby", at: 2_000, action: "held-back", silentMs: 15_500 },
    ];
    const message = { v: 1, type: "watchdog-events", events: events.map((e) => ({ ...e, extra: "<b>" })) };
    expect(parseToPageMessage(structuredClone(message))).toEqual({ v: 1, type: "watchdog-events", events });
    const good = events[0]!;
    for (const bad of [{ ...good, action: "rebooted" }, { ...good, at: "now" }, { ...good, silentMs: -1 }, { ...good, url: 5 }]) {
      expect(parseToPageMessage({ v: 1, type: "watchdog-events", events: [bad] })).toBeUndefined();
    }
    expect(parseToPageMessage({ v: 1, type: "watchdog-events", events: Array.from({ length: 21 }, () => good) })).toBeUndefined();
  });

  it("accepts upstream protocols, known or not, and keeps only their own fields", () => {
    const upstreams = [
      { origin: "https://kiosk.test:8700", protocol: "h2", since: 1_000 },
      { origin: "http://127.0.0.1:7000", protocol: "http/1.1", since: 1_200 },
      // The browser did not say (no Timing-Allow-Origin).
      { origin: "http://other.test", since: 1_300 },
    ];
    const message = { v: 1, type: "upstream-protocols", upstreams: upstreams.map((u) => ({ ...u, extra: "<b>" })) };
    expect(parseToPageMessage(structuredClone(message))).toEqual({ v: 1, type: "upstream-protocols", upstreams });
    expect(parseToPageMessage({ v: 1, type: "upstream-protocols", upstreams: [] })).toEqual({ v: 1, type: "upstream-protocols", upstreams: [] });
  });

  it("drops upstream protocols with an origin that is not one, a protocol that is no ALPN id, a bad time, or too many", () => {
    const good = { origin: "https://kiosk.test:8700", protocol: "h2", since: 1_000 };
    for (const bad of [
      { ...good, origin: "https://kiosk.test:8700/path" },
      { ...good, origin: "https://user:pw@kiosk.test" },
      { ...good, origin: "javascript:alert(1)" },
      { ...good, origin: "kiosk.test" },
      { ...good, origin: 8700 },
      { ...good, protocol: "" },
      { ...good, protocol: "<img src=x>" },
      { ...good, protocol: "h2 " },
      { ...good, protocol: "x".repeat(33) },
      { ...good, protocol: 2 },
      { ...good, since: -1 },
      { ...good, since: "now" },
      { protocol: "h2", since: 1_000 },
    ]) {
      expect(parseToPageMessage({ v: 1, type: "upstream-protocols", upstreams: [bad] }), JSON.stringify(bad)).toBeUndefined();
    }
    expect(parseToPageMessage({ v: 1, type: "upstream-protocols", upstreams: good })).toBeUndefined();
    expect(parseToPageMessage({ v: 1, type: "upstream-protocols", upstreams: Array.from({ length: 17 }, () => good) })).toBeUndefined();
  });
});
