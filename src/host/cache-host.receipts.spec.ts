import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { OutboxEntry, ReceiptRequest } from "../core/receipts/receipt-outbox.js";
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
  const receipts: ReceiptHub = {
    request: async (s, request) => void requests.push([s, request]),
    entries: () => entries,
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
    setEntries: (next: OutboxEntry[]) => {
      entries = next;
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
