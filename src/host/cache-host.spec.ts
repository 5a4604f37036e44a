import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import type { ToPageMessage } from "../protocol/messages.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";
import { createCacheHost, type CacheHostOptions } from "./cache-host.js";
import { createServerContactLog } from "./server-contact-log.js";
import { fakeFeeds, manualClock, memoryRegistry } from "./testing/host-fakes.js";

const server = "http://127.0.0.1:7000";
const ref = (id: string, partition = ""): PublicationRef => ({ server, device: "dev", id, partition });
const subscribe = (clientId: string, r: PublicationRef, tuning?: object) => ({ v: 1, type: "subscribe", clientId, claim: { ref: r, ...(tuning && { tuning }) } });
const unsubscribe = (clientId: string, r: PublicationRef) => ({ v: 1, type: "unsubscribe", clientId, ref: r });
const heartbeat = (clientId: string, refs: PublicationRef[]) => ({ v: 1, type: "heartbeat", clientId, claims: refs.map((r) => ({ ref: r })) });

function setup(overrides: Partial<CacheHostOptions> = {}) {
  const clock = manualClock();
  const sent: ToPageMessage[] = [];
  const { createFeed, engines } = fakeFeeds();
  const cleared: RefScope[] = [];
  const registry = memoryRegistry();
  const host = createCacheHost({
    hostId: "host-1",
    broadcast: (m) => void sent.push(m),
    createFeed,
    clearStorage: async (scope) => void cleared.push(scope),
    subscriptions: registry,
    clock,
    graceMs: 10_000,
    leaseMs: 30_000,
    ...overrides,
  });
  const running = () => engines.filter((e) => !e.closed);
  return { host, clock, sent, engines, running, cleared, registry };
}

describe("cache host", () => {
  it("runs one engine per ref however many tabs claim it", () => {
    const { host, running, sent } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-b", ref("x")));
    host.receive(subscribe("tab-b", ref("x")));
    host.receive(subscribe("tab-b", ref("y")));
    expect(running().map((e) => e.ref.id)).toEqual(["x", "y"]);
    expect(sent.filter((m) => m.type === "snapshot").length).toBeGreaterThanOrEqual(2);
  });

  it("stops an engine only after the grace period once its last holder leaves", () => {
    const { host, clock, running, registry } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-b", ref("x")));
    host.receive(unsubscribe("tab-a", ref("x")));
    clock.advance(20_000);
    host.receive(heartbeat("tab-b", [ref("x")]));
    expect(running()).toHaveLength(1);
    host.receive(unsubscribe("tab-b", ref("x")));
    clock.advance(9_999);
    expect(running()).toHaveLength(1);
    clock.advance(1);
    expect(running()).toHaveLength(0);
    expect(registry.refs.size).toBe(0);
  });

  it("keeps the engine when a tab comes back within the grace period (a reload)", () => {
    const { host, clock, engines } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive({ v: 1, type: "goodbye", clientId: "tab-a" });
    clock.advance(5_000);
    host.receive(subscribe("tab-a2", ref("x")));
    clock.advance(20_000);
    host.receive(heartbeat("tab-a2", [ref("x")]));
    clock.advance(20_000);
    host.receive(heartbeat("tab-a2", [ref("x")]));
    expect(engines).toHaveLength(1);
    expect(engines[0]?.closed).toBe(false);
  });

  it("releases a tab that stops sending heartbeats after its lease", () => {
    const { host, clock, running } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    clock.advance(30_000 + 10_000);
    expect(running()).toHaveLength(0);
  });

  it("rebuilds claims from heartbeats alone and drops refs a heartbeat no longer lists", () => {
    const { host, clock, running, sent } = setup();
    host.receive(heartbeat("tab-a", [ref("x"), ref("y")]));
    expect(running().map((e) => e.ref.id)).toEqual(["x", "y"]);
    expect(sent.filter((m) => m.type === "snapshot").map((m) => m.type === "snapshot" && m.ref.id)).toEqual(["x", "y"]);
    host.receive(heartbeat("tab-a", [ref("y")]));
    clock.advance(10_000);
    expect(running().map((e) => e.ref.id)).toEqual(["y"]);
  });

  it("resumes persisted claims on start-up and stops them if no tab claims them within a lease", async () => {
    const { host, clock, running, registry } = setup();
    await registry.put(ref("x"));
    await registry.put(ref("y"));
    expect(await host.resume()).toBe(2);
    expect(running().map((e) => e.ref.id)).toEqual(["x", "y"]);
    host.receive(heartbeat("tab-a", [ref("x")]));
    clock.advance(30_000);
    expect(running().map((e) => e.ref.id)).toEqual(["x"]);
    expect([...registry.refs.values()].map((r) => r.id)).toEqual(["x"]);
  });

  it("replaces a resumed engine when the first tab asks for specific tuning", async () => {
    const { host, engines, registry } = setup();
    await registry.put(ref("x"));
    await host.resume();
    host.receive(subscribe("tab-a", ref("x"), { backoffMinMs: 200 }));
    expect(engines.map((e) => [e.closed, e.tuning])).toEqual([
      [true, undefined],
      [false, { backoffMinMs: 200 }],
    ]);
  });

  it("asks pages for a token on needs-auth, and hands a token to that server's engines only", () => {
    const { host, engines, sent, registry } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-a", { ...ref("z"), server: "http://127.0.0.1:7001" }));
    const error = { code: "unauthenticated", message: "no token", at: 1 } as const;
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: error } });
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: error } });
    expect(sent.filter((m) => m.type === "token-request")).toEqual([{ v: 1, type: "token-request", server }]);
    host.receive({ v: 1, type: "token", server, token: "s3cret" });
    expect(engines.map((e) => e.credentialChanges)).toEqual([1, 0]);
    expect(JSON.stringify([...registry.refs.values()])).not.toContain("s3cret");
  });

  it("a new host without a token keeps quiet about needs-auth for a moment: the pages hand one over first", () => {
    const { host, engines, sent, clock } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    const refused = { code: "unauthenticated", message: "missing bearer token", at: 1 } as const;
    const needsAuth = () => sent.filter((m) => m.type === "snapshot" && m.snapshot.state.kind === "needs-auth");
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: refused } });
    expect(sent.filter((m) => m.type === "token-request")).toHaveLength(1);
    expect(needsAuth()).toEqual([]);
    // The page answers; the engine goes live: "sign-in needed" was never shown.
    host.receive({ v: 1, type: "token", server, token: "t1" });
    engines[0]?.push({ value: undefined, state: { kind: "live" } });
    clock.advance(5_000);
    expect(needsAuth()).toEqual([]);

    // With a token refused later, needs-auth shows at once.
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: refused } });
    expect(needsAuth()).toHaveLength(1);
  });

  it("shows needs-auth once the grace passes with no token from any page", () => {
    const { host, engines, sent, clock } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: { code: "unauthenticated", message: "", at: 1 } } });
    clock.advance(2_999);
    expect(sent.filter((m) => m.type === "snapshot" && m.snapshot.state.kind === "needs-auth")).toEqual([]);
    clock.advance(1);
    expect(sent.filter((m) => m.type === "snapshot" && m.snapshot.state.kind === "needs-auth")).toHaveLength(1);
  });

  it("forgets the token when a page signs out (token null)", () => {
    const { host, engines } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive({ v: 1, type: "token", server, token: "t1" });
    host.receive({ v: 1, type: "token", server, token: null });
    expect(engines[0]?.credentialChanges).toBe(1);
    // The same token handed over again counts as new: the host had forgotten it.
    host.receive({ v: 1, type: "token", server, token: "t1" });
    expect(engines[0]?.credentialChanges).toBe(2);
  });

  it("does not retry with the token it already holds (a refused-but-valid token must not loop)", () => {
    const { host, engines, sent } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive({ v: 1, type: "token", server, token: "t1" });
    expect(engines[0]?.credentialChanges).toBe(1);
    const denied = { code: "permission_denied", message: "not allowed", at: 1 } as const;
    engines[0]?.push({ value: undefined, state: { kind: "needs-auth", lastError: denied } });
    expect(sent.filter((m) => m.type === "token-request")).toHaveLength(1);
    // The page answers with the same token: nothing is retried.
    host.receive({ v: 1, type: "token", server, token: "t1" });
    expect(engines[0]?.credentialChanges).toBe(1);
    // A new token is tried at once.
    host.receive({ v: 1, type: "token", server, token: "t2" });
    expect(engines[0]?.credentialChanges).toBe(2);
  });

  it("wakes every engine when a page says the network is back", () => {
    const { host, engines } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    host.receive(subscribe("tab-a", ref("y")));
    host.receive({ v: 1, type: "wake", clientId: "tab-a" });
    expect(engines.map((e) => e.wakes)).toEqual([1, 1]);
  });

  it("drops and counts malformed messages, and ignores page-bound ones on a shared channel", () => {
    const { host, running } = setup();
    expect(host.receive({ v: 1, type: "subscribe", clientId: "tab-a", claim: { ref: { id: "x" } } })).toBeUndefined();
    expect(host.receive("hello")).toBeUndefined();
    expect(host.receive({ v: 1, type: "host-ready", hostId: "other" })).toBeUndefined();
    expect(host.stats.dropped).toBe(2);
    expect(running()).toHaveLength(0);
  });

  it("clears one scope: stops its writers, wipes it, restarts what tabs still claim, leaves other scopes alone", async () => {
    const { host, engines, running, cleared, registry, sent } = setup();
    host.receive(subscribe("tab-a", ref("x", "alice")));
    host.receive(subscribe("tab-b", ref("x", "bob")));
    host.receive({ v: 1, type: "clear", requestId: "r1", scope: { server, device: "dev", partition: "alice" } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cleared).toEqual([{ server, device: "dev", partition: "alice" }]);
    expect(engines[0]?.closed).toBe(true);
    expect(engines[1]?.closed).toBe(false);
    expect(running().map((e) => e.ref.partition).sort()).toEqual(["alice", "bob"]);
    expect(registry.refs.size).toBe(2);
    expect(sent.at(-1)).toEqual({ v: 1, type: "cleared", requestId: "r1" });
  });

  it("sends a value in full once per new value: state changes travel without the bytes; a tab that joins gets the value once", () => {
    const { host, engines, sent } = setup();
    host.receive(subscribe("tab-a", ref("x")));
    const value = (version: string, confirmed: number) => ({
      publication: create(PublicationSchema, { id: "x", version, body: new Uint8Array(1_000_000) }),
      source: "stream" as const,
      receivedAt: 1,
      lastConfirmedAt: confirmed,
    });
    const v1 = value("v1", 1);
    const error = { code: "unavailable", message: "gone", at: 2 } as const;
    engines[0]?.push({ value: v1, state: { kind: "live" } });
    engines[0]?.push({ value: v1, state: { kind: "retrying", nextAttemptAt: 10, lastError: error } });
    engines[0]?.push({ value: { ...v1, lastConfirmedAt: 12 }, state: { kind: "live" } });
    const since = (n: number) => sent.slice(n).filter((m) => m.type === "snapshot" || m.type === "state");
    expect(since(0).map((m) => m.type)).toEqual(["snapshot", "snapshot", "state", "state"]);
    const last = since(0).at(-1);
    expect(last?.type === "state" && last.change).toEqual({ value: { version: "v1", source: "stream", receivedAt: 1, lastConfirmedAt: 12 }, state: { kind: "live" } });
    expect(JSON.stringify(since(2), (_key, v: unknown) => (v instanceof Uint8Array ? `bytes:${v.length}` : v)).length).toBeLessThan(1_000);

    const count = sent.length;
    host.receive(subscribe("tab-b", ref("x")));
    expect(since(count).map((m) => m.type)).toEqual(["snapshot"]);
    // A new value (the same version re-published with other bytes counts too) goes in full.
    engines[0]?.push({ value: { ...value("v1", 13), publication: create(PublicationSchema, { id: "x", version: "v1", body: new Uint8Array(3) }) }, state: { kind: "live" } });
    expect(since(count + 1).map((m) => m.type)).toEqual(["snapshot"]);
  });

  it("lets waitUntil hold while engines run and release when the last stops", async () => {
    const { host, clock } = setup();
    await host.whenIdle();
    host.receive(subscribe("tab-a", ref("x")));
    let idle = false;
    void host.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    host.receive(unsubscribe("tab-a", ref("x")));
    clock.advance(10_000);
    await Promise.resolve();
    expect(idle).toBe(true);
  });

  it("tells pages what the watchdog did: on every event, and to each tab new to the host", () => {
    const events: Array<{ url: string; at: number; action: "reloaded" | "held-back"; silentMs: number }> = [];
    const listeners = new Set<() => void>();
    const { host, sent } = setup({ watchdog: { events: () => events, onChange: (l) => (listeners.add(l), () => listeners.delete(l)) } });
    const watchdogMessages = () => sent.filter((m) => m.type === "watchdog-events");
    host.receive(heartbeat("tab-1", []));
    expect(watchdogMessages()).toEqual([]);
    events.push({ url: "https://kiosk.test/", at: 1, action: "reloaded", silentMs: 15_000 });
    for (const listener of listeners) listener();
    expect(watchdogMessages()).toEqual([{ v: 1, type: "watchdog-events", events }]);
    // The reloaded page is a new tab: it hears of it too.
    host.receive(heartbeat("tab-2", []));
    expect(watchdogMessages()).toHaveLength(2);
  });
});

describe("cache host: when each server was last heard", () => {
  it("tells every page of a change and each new tab what it knows, and a restarted host what it stored", async () => {
    const clock = manualClock();
    const stored = new Map<string, { server: string; heardAt?: number; lostAt?: number }>();
    const store = { load: async () => [...stored.values()], save: async (c: { server: string }) => void stored.set(c.server, c) };
    const contacts = createServerContactLog({ clock, store });
    const { host, sent } = setup({ contacts, clock });
    const contactMessages = () => sent.filter((m) => m.type === "server-contacts");

    contacts.heard(server, clock.now());
    const heardAt = clock.now();
    clock.advance(5_000);
    contacts.lost(server, clock.now());
    expect(contactMessages().at(-1)).toMatchObject({ contacts: [{ server, heardAt, lostAt: clock.now() }] });

    const before = contactMessages().length;
    host.receive(heartbeat("tab-new", [ref("x")]));
    expect(contactMessages()).toHaveLength(before + 1);

    // A reboot during the outage: the new host reads the stored time and tells its pages.
    const restartedContacts = createServerContactLog({ clock, store });
    const restarted = setup({ contacts: restartedContacts, clock });
    await restarted.host.resume();
    await Promise.resolve();
    restarted.host.receive(heartbeat("tab-a", [ref("x")]));
    expect(restarted.sent.filter((m) => m.type === "server-contacts").at(-1)).toMatchObject({ contacts: [{ server, heardAt }] });
  });
});
