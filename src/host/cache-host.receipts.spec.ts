import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { OutboxEntry, ReceiptRequest } from "../core/receipts/receipt-outbox.js";
import type { ReceiptRefusal } from "../core/receipts/receipt-sender.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import type { ToPageMessage } from "../protocol/messages.js";
import type { RefScope } from "../protocol/publication-ref.js";
import { createCacheHost } from "./cache-host.js";
import type { ReceiptHub } from "./receipt-hub.js";
import { fakeFeeds, manualClock } from "./testing/host-fakes.js";

const server = "http://127.0.0.1:7000";
const scope: RefScope = { server, device: "dev", partition: "" };

function setup() {
  const clock = manualClock();
  const sent: ToPageMessage[] = [];
  const requests: Array<[string, ReceiptRequest]> = [];
  const credentialChanges: string[] = [];
  let changed: (server: string) => void = () => undefined;
  let entries: OutboxEntry[] = [];
  let refusal: ReceiptRefusal | undefined;
  const receipts: ReceiptHub = {
    request: async (s, request) => void requests.push([s, request]),
    entries: () => entries,
    refusal: () => refusal,
    servers: () => [server],
    onChange: (listener) => void (changed = listener),
    resume: async () => undefined,
    wake: () => undefined,
    credentialsChanged: (s) => void credentialChanges.push(s),
    close: () => undefined,
  };
  const feeds = fakeFeeds();
  const host = createCacheHost({
    hostId: "h",
    broadcast: (m) => void sent.push(m),
    createFeed: feeds.createFeed,
    clearStorage: async () => undefined,
    clock,
    receipts,
  });
  return {
    host,
    clock,
    sent,
    requests,
    credentialChanges,
    watches: feeds.watches,
    setEntries: (next: OutboxEntry[], refused?: ReceiptRefusal) => {
      entries = next;
      refusal = refused;
      changed(server);
    },
  };
}

const publication = (id: string, version: string) => create(PublicationSchema, { id, version });

describe("cache host: receipts and device watches", () => {
  it("hands a page's acknowledgement to the receipt hub, and tells pages where acknowledgements stand", async () => {
    const { host, requests, sent, setEntries } = setup();
    host.receive({
      v: 1,
      type: "acknowledge",
      clientId: "tab",
      ref: { ...scope, id: "cfg" },
      version: "v1",
      publishTimeMs: 5,
      receipt: "rejected",
      reason: "not valid JSON",
    });
    await Promise.resolve();
    expect(requests).toEqual([[server, { device: "dev", id: "cfg", version: "v1", publishTimeMs: 5, receipt: "rejected", reason: "not valid JSON" }]]);
    setEntries([
      { key: "k", device: "dev", id: "cfg", version: "v1", publishTimeMs: 5, receipt: "rejected", reason: "not valid JSON", status: "refused", updatedAt: 9, lastError: { code: "permission_denied", message: "no", at: 9 } },
    ]);
    expect(sent.filter((m) => m.type === "receipts")).toEqual([
      {
        v: 1,
        type: "receipts",
        server,
        receipts: [{ device: "dev", id: "cfg", version: "v1", publishTimeMs: 5, receipt: "rejected", reason: "not valid JSON", status: "refused", updatedAt: 9, lastError: { code: "permission_denied", message: "no", at: 9 } }],
      },
    ]);
  });

  it("new credentials reach the receipt hub too", () => {
    const { host, credentialChanges } = setup();
    host.receive({ v: 1, type: "token", server, token: "t" });
    expect(credentialChanges).toEqual([server]);
  });

  it("a renewed token of the same sign-in is not new credentials for receipts; another account, other roles or a new sign-in are", () => {
    const { host, credentialChanges } = setup();
    const token = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    const viewer = (iat: number) => token({ iss: "idp", sub: "viewer", roles: ["viewer"], iat, exp: iat + 300, jti: `j${iat}` });
    host.receive({ v: 1, type: "token", server, token: viewer(1) });
    host.receive({ v: 1, type: "token", server, token: viewer(2) });
    expect(credentialChanges).toEqual([server]);
    host.receive({ v: 1, type: "token", server, token: token({ iss: "idp", sub: "viewer", roles: ["viewer", "signage"], iat: 3 }) });
    expect(credentialChanges).toEqual([server, server]);
    host.receive({ v: 1, type: "token", server, token: token({ iss: "idp", sub: "kiosk", roles: ["signage"], iat: 4 }) });
    expect(credentialChanges).toHaveLength(3);
    host.receive({ v: 1, type: "token", server, token: null });
    host.receive({ v: 1, type: "token", server, token: token({ iss: "idp", sub: "kiosk", roles: ["signage"], iat: 5 }) });
    expect(credentialChanges).toHaveLength(4);
  });

  it("pages hear of a policy refusal with the receipts, and a tab new to the host hears of it at once", () => {
    const { host, sent, setEntries } = setup();
    const entry: OutboxEntry = {
      key: "k", device: "dev", id: "cfg", version: "v1", publishTimeMs: 5, receipt: "accepted", status: "refused", updatedAt: 9,
      lastError: { code: "permission_denied", message: "viewer may only read", at: 9 },
    };
    setEntries([entry], { since: 9, error: entry.lastError! });
    expect(sent.filter((m) => m.type === "receipts").at(-1)).toMatchObject({ type: "receipts", server, refusedSince: 9 });
    sent.length = 0;
    host.receive({ v: 1, type: "heartbeat", clientId: "fleet-tab", claims: [] });
    expect(sent.filter((m) => m.type === "receipts")).toMatchObject([{ server, refusedSince: 9, receipts: [{ id: "cfg", status: "refused" }] }]);
    // Credentials that may write: the refusal is gone from the next word.
    setEntries([{ ...entry, status: "sent" }]);
    expect(sent.filter((m) => m.type === "receipts").at(-1)).not.toHaveProperty("refusedSince");
  });

  it("one feed watch per device however many tabs; metadata coalesced and encoded; released with the last tab", () => {
    const { host, watches, sent, clock } = setup();
    host.receive({ v: 1, type: "watch-device", clientId: "a", watch: { scope } });
    host.receive({ v: 1, type: "watch-device", clientId: "b", watch: { scope } });
    expect(watches).toHaveLength(1);
    watches[0]!.listener([publication("x", "v1")]);
    watches[0]!.listener([publication("x", "v1"), publication("y", "v1")]);
    clock.advance(200);
    const devices = sent.filter((m) => m.type === "device");
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ scope, publications: [expect.any(Uint8Array), expect.any(Uint8Array)] });

    // A tab that joins later is told at once.
    host.receive({ v: 1, type: "watch-device", clientId: "c", watch: { scope } });
    expect(sent.filter((m) => m.type === "device")).toHaveLength(2);

    host.receive({ v: 1, type: "unwatch-device", clientId: "a", scope });
    host.receive({ v: 1, type: "goodbye", clientId: "b" });
    expect(watches[0]!.stopped).toBe(false);
    host.receive({ v: 1, type: "heartbeat", clientId: "c", claims: [] });
    expect(watches[0]!.stopped).toBe(true);
  });

  it("a restarted host rebuilds device watches from heartbeats", () => {
    const { host, watches } = setup();
    host.receive({ v: 1, type: "heartbeat", clientId: "a", claims: [], devices: [{ scope }] });
    host.receive({ v: 1, type: "heartbeat", clientId: "a", claims: [], devices: [{ scope }] });
    expect(watches).toHaveLength(1);
    expect(watches[0]!.stopped).toBe(false);
  });
});
