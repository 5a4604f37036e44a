import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { Publication_Audience_Receipt } from "../../gen/smartcore/traits/publication_pb.js";
import { seededRandom } from "../random.js";
import { FakeClock, settle } from "../testing/fake-clock.js";
import { FakeDeviceServer } from "../testing/fake-device-server.js";
import { pub } from "../testing/feed-harness.js";
import { createMemoryReceiptOutbox, type ReceiptOutbox, type ReceiptRequest } from "./receipt-outbox.js";
import { createReceiptSender } from "./receipt-sender.js";

function setup(outbox: ReceiptOutbox = createMemoryReceiptOutbox(), startMs = Date.UTC(2026, 0, 1)) {
  const clock = new FakeClock(startMs);
  const server = new FakeDeviceServer(() => clock.now());
  const sender = createReceiptSender({
    client: server.client,
    outbox,
    clock,
    random: seededRandom(3),
    backoff: { minMs: 10_000, maxMs: 80_000, jitter: "none" },
  });
  const acks = () => server.calls.filter((c) => c.method === "acknowledgePublication").map((c) => c.request as Record<string, unknown>);
  return { clock, server, sender, outbox, acks };
}

const shown = (version: string, extra: Partial<ReceiptRequest> = {}): ReceiptRequest => ({
  device: "dev",
  id: "cfg",
  version,
  publishTimeMs: 1,
  receipt: "accepted",
  ...extra,
});

describe("receipt sender", () => {
  it("sends an explicit receipt with allow_acknowledged, once, however often it is asked", async () => {
    const { server, sender, acks } = setup();
    server.seed(pub("cfg", "v1", "{}", { audience: undefined }));
    await sender.request(shown("v1"));
    await sender.request(shown("v1"));
    await settle();
    await sender.request(shown("v1"));
    await settle();
    expect(acks()).toHaveLength(1);
    expect(acks()[0]).toMatchObject({ name: "dev", id: "cfg", version: "v1", receipt: Publication_Audience_Receipt.ACCEPTED, allowAcknowledged: true });
    expect(sender.entries()).toMatchObject([{ status: "sent" }]);
    expect(server.get("cfg")?.audience?.receipt).toBe(Publication_Audience_Receipt.ACCEPTED);
  });

  it("a rejection carries its reason", async () => {
    const { server, sender, acks } = setup();
    server.seed(pub("cfg", "v1"));
    await sender.request(shown("v1", { receipt: "rejected", reason: "invalid JSON at line 3" }));
    await settle();
    expect(acks()[0]).toMatchObject({ receipt: Publication_Audience_Receipt.REJECTED, receiptRejectedReason: "invalid JSON at line 3" });
  });

  it("the same version re-published (new publish time) is acknowledged again", async () => {
    const { server, sender, acks } = setup();
    server.seed(pub("cfg", "v1"));
    await sender.request(shown("v1", { publishTimeMs: 1 }));
    await settle();
    await sender.request(shown("v1", { publishTimeMs: 2 }));
    await settle();
    expect(acks()).toHaveLength(2);
  });

  it("offline: kept, retried with backoff, sent once when the server is back — and survives a restart", async () => {
    const outbox = createMemoryReceiptOutbox();
    const first = setup(outbox);
    first.server.seed(pub("cfg", "v1"));
    first.server.failures.set("acknowledgePublication", Code.Unavailable);
    await first.sender.request(shown("v1"));
    await first.clock.advance(10_000);
    expect(first.acks()).toHaveLength(2);
    expect(first.sender.entries()).toMatchObject([{ status: "pending", lastError: { code: "unavailable" } }]);
    first.sender.close();

    // A new worker (or a reload) on the same outbox.
    const second = setup(outbox);
    second.server.seed(pub("cfg", "v1"));
    await settle();
    expect(second.acks()).toHaveLength(1);
    expect(second.sender.entries()).toMatchObject([{ status: "sent" }]);
    await second.sender.request(shown("v1"));
    await settle();
    expect(second.acks()).toHaveLength(1);
  });

  it("a version that moved on drops its stale acknowledgement", async () => {
    const { server, sender, acks } = setup();
    server.seed(pub("cfg", "v2"));
    await sender.request(shown("v1"));
    await settle();
    expect(acks()).toHaveLength(1);
    expect(sender.entries()).toEqual([]);
  });

  it("a newer acknowledgement of the same publication replaces a pending one", async () => {
    const { server, sender, acks, clock } = setup();
    server.seed(pub("cfg", "v2"));
    server.failures.set("acknowledgePublication", Code.Unavailable);
    await sender.request(shown("v1"));
    await settle();
    await sender.request(shown("v2"));
    server.failures.delete("acknowledgePublication");
    await clock.advance(10_000);
    expect(acks().map((a) => a.version)).toEqual(["v1", "v2"]);
    expect(sender.entries()).toMatchObject([{ version: "v2", status: "sent" }]);
  });

  it("PERMISSION_DENIED: refused and shown, no retry storm; new credentials try again", async () => {
    const { server, sender, acks, clock } = setup();
    server.seed(pub("cfg", "v1"));
    server.failures.set("acknowledgePublication", Code.PermissionDenied);
    await sender.request(shown("v1"));
    await clock.advance(60 * 60_000);
    expect(acks()).toHaveLength(1);
    expect(sender.entries()).toMatchObject([{ status: "refused", lastError: { code: "permission_denied" } }]);
    server.failures.delete("acknowledgePublication");
    sender.credentialsChanged();
    await settle();
    expect(acks()).toHaveLength(2);
    expect(sender.entries()).toMatchObject([{ status: "sent" }]);
  });

  it("PERMISSION_DENIED stops receipts for the server: what waits and what comes later is refused without a call, until the credentials change", async () => {
    const { server, sender, acks, clock } = setup();
    server.seed(pub("a", "v1"), pub("b", "v1"), pub("c", "v1"));
    server.failures.set("acknowledgePublication", Code.PermissionDenied);
    const refusals: Array<number | undefined> = [];
    sender.onChange(() => refusals.push(sender.refusal()?.since));
    await sender.request(shown("v1", { id: "a" }));
    await sender.request(shown("v1", { id: "b" }));
    await settle();
    expect(sender.refusal()).toMatchObject({ since: clock.now(), error: { code: "permission_denied" } });
    // Asked for while refused: recorded, not sent.
    await sender.request(shown("v1", { id: "c" }));
    sender.wake();
    await clock.advance(24 * 60 * 60_000);
    expect(acks()).toHaveLength(1);
    expect(sender.entries().map((e) => `${e.id}:${e.status}:${e.lastError?.code}`).sort()).toEqual([
      "a:refused:permission_denied",
      "b:refused:permission_denied",
      "c:refused:permission_denied",
    ]);
    expect(refusals).toContain(sender.refusal()?.since);

    // New credentials, still read-only: one more call, refused again, nothing else.
    sender.credentialsChanged();
    await settle();
    expect(acks()).toHaveLength(2);
    expect(sender.refusal()).toBeDefined();
    expect(sender.entries().every((e) => e.status === "refused")).toBe(true);

    // Credentials that may write: every refused acknowledgement goes, once.
    server.failures.delete("acknowledgePublication");
    sender.credentialsChanged();
    await settle();
    expect(sender.refusal()).toBeUndefined();
    expect(acks().slice(2).map((a) => a.id).sort()).toEqual(["a", "b", "c"]);
    expect(sender.entries().every((e) => e.status === "sent")).toBe(true);
  });

  it("a newer version asked for while refused replaces the refused one of the same publication", async () => {
    const { server, sender, acks } = setup();
    server.seed(pub("cfg", "v2"));
    server.failures.set("acknowledgePublication", Code.PermissionDenied);
    await sender.request(shown("v1"));
    await settle();
    await sender.request(shown("v2"));
    expect(sender.entries()).toMatchObject([{ version: "v2", status: "refused" }]);
    server.failures.delete("acknowledgePublication");
    sender.credentialsChanged();
    await settle();
    expect(acks().map((a) => a.version)).toEqual(["v1", "v2"]);
    expect(sender.entries()).toMatchObject([{ version: "v2", status: "sent" }]);
  });

  it("a restarted sender keeps a stored refusal: nothing is sent until the credentials change", async () => {
    const outbox = createMemoryReceiptOutbox();
    const first = setup(outbox);
    first.server.seed(pub("cfg", "v1"), pub("other", "v1"));
    first.server.failures.set("acknowledgePublication", Code.PermissionDenied);
    await first.sender.request(shown("v1"));
    await settle();
    first.sender.close();

    const second = setup(outbox);
    second.server.seed(pub("cfg", "v1"), pub("other", "v1"));
    await settle();
    expect(second.sender.refusal()).toMatchObject({ error: { code: "permission_denied" } });
    await second.sender.request(shown("v1", { id: "other" }));
    await second.clock.advance(60 * 60_000);
    expect(second.acks()).toHaveLength(0);
    second.sender.credentialsChanged();
    await settle();
    expect(second.acks().map((a) => a.id).sort()).toEqual(["cfg", "other"]);
  });

  it("a refusal answered to a call made with the old credentials does not stop the new ones", async () => {
    const { server, sender, acks, clock } = setup();
    server.seed(pub("cfg", "v1"));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let refuseNext = true;
    const client = {
      ...server.client,
      acknowledgePublication: async (...args: Parameters<typeof server.client.acknowledgePublication>) => {
        if (!refuseNext) return server.client.acknowledgePublication(...args);
        refuseNext = false;
        await gate;
        throw new ConnectError("viewer may only read", Code.PermissionDenied);
      },
    };
    const racing = createReceiptSender({ client, outbox: createMemoryReceiptOutbox(), clock, random: seededRandom(3) });
    await racing.request(shown("v1"));
    await settle();
    racing.credentialsChanged();
    await settle();
    release();
    await settle();
    expect(racing.refusal()).toBeUndefined();
    expect(acks()).toHaveLength(1);
    expect(racing.entries()).toMatchObject([{ status: "sent" }]);
    sender.close();
    racing.close();
  });

  it("remembers sent acknowledgements for a week, then forgets them", async () => {
    const outbox = createMemoryReceiptOutbox();
    const first = setup(outbox);
    first.server.seed(pub("cfg", "v1"));
    await first.sender.request(shown("v1"));
    await settle();
    first.sender.close();
    const sixDaysLater = setup(outbox, Date.UTC(2026, 0, 7));
    await settle();
    expect(await outbox.list()).toHaveLength(1);
    sixDaysLater.sender.close();
    const eightDaysLater = setup(outbox, Date.UTC(2026, 0, 9));
    await settle();
    expect(await outbox.list()).toEqual([]);
    eightDaysLater.sender.close();
  });
});
