import { Code } from "@connectrpc/connect";
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
