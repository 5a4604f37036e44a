import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../core/testing/fake-clock.js";
import { FakeDeviceServer } from "../core/testing/fake-device-server.js";
import { pub, settle } from "../core/testing/feed-harness.js";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { ServerContact } from "../protocol/messages.js";
import { contactInterceptor, isConnectionFailure } from "./contact-interceptor.js";
import { createServerContactLog, NOTIFY_EVERY_MS, SAVE_EVERY_MS, type ServerContactStore } from "./server-contact-log.js";

const SERVER = "https://kiosk.test:8700";

function memoryStore(initial: ServerContact[] = []) {
  const saved = new Map(initial.map((contact) => [contact.server, contact]));
  const writes: ServerContact[] = [];
  const store: ServerContactStore = {
    load: async () => [...saved.values()],
    save: async (contact) => {
      writes.push(contact);
      saved.set(contact.server, contact);
    },
  };
  return { store, saved, writes };
}

describe("server contact log", () => {
  it("keeps the last time heard through an outage: retries and a restarted host never move it later", async () => {
    const clock = new FakeClock();
    const { store, saved } = memoryStore();
    const log = createServerContactLog({ clock, store });
    const heardAt = clock.now();
    log.heard(SERVER, heardAt);
    await clock.advance(60_000);
    log.lost(SERVER, clock.now());
    const lostAt = clock.now();
    await clock.advance(30_000);
    log.lost(SERVER, clock.now()); // a retry fails again
    expect(log.entries()).toEqual([{ server: SERVER, heardAt, lostAt }]);
    expect(saved.get(SERVER)).toEqual({ server: SERVER, heardAt, lostAt });

    // A reload or a reboot: a new host, the same store.
    await clock.advance(5 * 60_000);
    const restarted = createServerContactLog({ clock, store });
    await restarted.restore();
    restarted.lost(SERVER, clock.now());
    expect(restarted.entries()[0]?.heardAt).toBe(heardAt);
  });

  it("tells pages at most once a second while a server answers, at once when it is lost or back", async () => {
    const clock = new FakeClock();
    const log = createServerContactLog({ clock });
    let told = 0;
    log.onChange(() => void (told += 1));
    log.heard(SERVER, clock.now());
    expect(told).toBe(1);
    for (let i = 0; i < 10; i++) {
      await clock.advance(NOTIFY_EVERY_MS / 10);
      log.heard(SERVER, clock.now());
    }
    expect(told).toBe(2);
    log.lost(SERVER, clock.now());
    expect(told).toBe(3);
    // What pages are told at the loss is the exact last time heard.
    expect(log.entries()[0]?.heardAt).toBe(clock.now());
    log.heard(SERVER, clock.now() + 1);
    expect(told).toBe(4);
    expect(log.entries()[0]?.lostAt).toBeUndefined();
  });

  it("stores a server that keeps answering at most every SAVE_EVERY_MS, and a loss at once", async () => {
    const clock = new FakeClock();
    const { store, writes } = memoryStore();
    const log = createServerContactLog({ clock, store });
    for (let i = 0; i < 30; i++) {
      log.heard(SERVER, clock.now());
      await clock.advance(1_000);
    }
    expect(writes).toHaveLength(Math.ceil(30_000 / SAVE_EVERY_MS));
    log.lost(SERVER, clock.now());
    expect(writes.at(-1)?.lostAt).toBe(clock.now());
  });

  it("a stored time older than what this host heard since it started does not replace it", async () => {
    const clock = new FakeClock();
    const { store } = memoryStore([{ server: SERVER, heardAt: clock.now() - 60_000 }]);
    const log = createServerContactLog({ clock, store });
    log.heard(SERVER, clock.now());
    await log.restore();
    expect(log.entries()[0]?.heardAt).toBe(clock.now());
  });
});

describe("contact interceptor", () => {
  it("hears every answer and stream message, loses the server when a call gets no answer, and ignores its own aborts", async () => {
    const clock = new FakeClock();
    const server = new FakeDeviceServer(() => clock.now());
    server.seed(pub("a", "v1"));
    const log = createServerContactLog({ clock });
    const client = createClient(PublicationApi, server.transportWith([contactInterceptor(SERVER, log, clock)]));

    await client.getPublication({ id: "a" });
    const answeredAt = clock.now();
    expect(log.entries()).toEqual([{ server: SERVER, heardAt: answeredAt }]);

    // A refusal is an answer: the server is there.
    await clock.advance(1_000);
    await expect(client.getPublication({ id: "missing" })).rejects.toThrow();
    expect(log.entries()[0]).toEqual({ server: SERVER, heardAt: clock.now() });

    // Stream messages are heard as they come.
    const abort = new AbortController();
    const stream = client.pullPublications({}, { signal: abort.signal })[Symbol.asyncIterator]();
    await stream.next();
    await clock.advance(5_000);
    server.publish(pub("a", "v2"));
    await stream.next();
    const lastMessageAt = clock.now();
    expect(log.entries()[0]?.heardAt).toBe(lastMessageAt);
    abort.abort();
    await stream.next().catch(() => undefined);
    expect(log.entries()[0]?.lostAt).toBeUndefined();

    // No answer: lost, with the last time heard kept.
    await clock.advance(5_000);
    server.failures.set("getPublication", Code.Unavailable);
    await expect(client.getPublication({ id: "a" })).rejects.toThrow();
    await settle();
    expect(log.entries()[0]).toEqual({ server: SERVER, heardAt: lastMessageAt, lostAt: clock.now() });
  });

  it("tells a failure to connect from a status the server sent", () => {
    expect(isConnectionFailure(new ConnectError("Failed to fetch", Code.Unknown, undefined, undefined, new TypeError("Failed to fetch")))).toBe(true);
    expect(isConnectionFailure(new ConnectError("no rows in result set", Code.Unknown))).toBe(false);
    expect(isConnectionFailure(new ConnectError("down", Code.Unavailable))).toBe(true);
    expect(isConnectionFailure(new ConnectError("slow", Code.DeadlineExceeded))).toBe(true);
    expect(isConnectionFailure(new ConnectError("nope", Code.PermissionDenied))).toBe(false);
    expect(isConnectionFailure(new ConnectError("aborted", Code.Canceled))).toBe(false);
  });
});
