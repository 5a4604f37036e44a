import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { Publication_Audience_Receipt as Receipt, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import type { PublicationUpdate } from "./publication-update.js";
import { ScreenReceipts, type AcknowledgementRequest } from "./screen-receipts.js";

const update = (version: string, audience: { name: string; receipt?: Receipt; reason?: string } | undefined, publishMs = 1_000): PublicationUpdate => ({
  id: "cfg",
  value: {
    publication: create(PublicationSchema, {
      id: "cfg",
      version,
      publishTime: timestampFromMs(publishMs),
      ...(audience && { audience: { name: audience.name, receipt: audience.receipt ?? Receipt.NO_SIGNAL, receiptRejectedReason: audience.reason ?? "" } }),
    }),
    source: "stream",
    receivedAt: 1,
    lastConfirmedAt: 1,
  },
  state: { kind: "live" },
});

function setup(screen: string | undefined = "lobby-1") {
  const sent: AcknowledgementRequest[] = [];
  return { receipts: new ScreenReceipts(screen, (request) => sent.push(request)), sent };
}

describe("screen receipts", () => {
  it("acknowledges a version addressed to this screen, once", () => {
    const { receipts, sent } = setup();
    expect(receipts.acknowledge(update("v1", { name: "lobby-1" }), "accepted")).toBe(true);
    expect(receipts.acknowledge(update("v1", { name: "lobby-1" }), "accepted")).toBe(false);
    expect(sent).toEqual([{ id: "cfg", version: "v1", publishTimeMs: 1_000, receipt: "accepted" }]);
  });

  it("says nothing of publications for another screen, without an audience, or with no screen name", () => {
    const { receipts, sent } = setup();
    expect(receipts.acknowledge(update("v1", { name: "lobby-2" }), "accepted")).toBe(false);
    expect(receipts.acknowledge(update("v1", undefined), "accepted")).toBe(false);
    expect(setup("").receipts.acknowledge(update("v1", { name: "lobby-1" }), "accepted")).toBe(false);
    expect(sent).toEqual([]);
  });

  it("says nothing when the server already holds that receipt (the echo of our acknowledgement)", () => {
    const { receipts, sent } = setup();
    expect(receipts.acknowledge(update("v1", { name: "lobby-1", receipt: Receipt.ACCEPTED }), "accepted")).toBe(false);
    expect(receipts.acknowledge(update("v1", { name: "lobby-1", receipt: Receipt.REJECTED, reason: "bad" }), "rejected", "bad")).toBe(false);
    // A different reason is news.
    expect(receipts.acknowledge(update("v1", { name: "lobby-1", receipt: Receipt.REJECTED, reason: "bad" }), "rejected", "worse")).toBe(true);
    expect(sent.map((r) => r.reason)).toEqual(["worse"]);
  });

  it("acknowledges identical content re-published (same version, new publish time, NO_SIGNAL again)", () => {
    const { receipts, sent } = setup();
    receipts.acknowledge(update("v1", { name: "lobby-1" }, 1_000), "accepted");
    receipts.acknowledge(update("v1", { name: "lobby-1", receipt: Receipt.ACCEPTED }, 1_000), "accepted");
    receipts.acknowledge(update("v1", { name: "lobby-1" }, 2_000), "accepted");
    expect(sent.map((r) => r.publishTimeMs)).toEqual([1_000, 2_000]);
  });

  it("a rejection carries a short reason", () => {
    const { receipts, sent } = setup();
    receipts.acknowledge(update("v1", { name: "lobby-1" }), "rejected", "x".repeat(500));
    expect(sent[0]?.reason).toHaveLength(200);
    receipts.forget("cfg");
    receipts.acknowledge(update("v2", { name: "lobby-1" }), "rejected");
    expect(sent[1]?.reason).toBe("cannot be shown");
  });
});
