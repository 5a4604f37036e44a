import { describe, expect, it } from "vitest";
import type { ReceiptInfo } from "../entries/index.js";
import { describeReceipts, RECEIPTS_REFUSED_TEXT } from "./receipts-text.js";
import { createTimeFormat } from "./time-format.js";

const time = createTimeFormat("en-GB", "UTC");
const NOW = Date.UTC(2026, 11, 7, 9, 0);
const MIN = 60_000;

const receipt = (over: Partial<ReceiptInfo>): ReceiptInfo => ({
  device: "",
  id: "lobby-config",
  version: "0123456789abcdef",
  receipt: "accepted",
  status: "sent",
  updatedAt: NOW - 5 * MIN,
  ...over,
});

describe("the receipts section", () => {
  it("without a failed attempt, the counts alone", () => {
    expect(describeReceipts([receipt({ status: "pending" }), receipt({ id: "b" })], time, NOW).summary).toBe("1 sent, 1 waiting, 0 refused");
  });

  it("says why there are none", () => {
    expect(describeReceipts([], time, NOW)).toEqual({
      summary: "None yet. A screen with a name (?screen=…) acknowledges the publications addressed to it.",
      rows: [],
    });
  });

  it("counts sent, waiting and refused, and lists waiting first, then refused, then sent", () => {
    const text = describeReceipts(
      [
        receipt({ id: "a", status: "sent", updatedAt: NOW - 9 * MIN }),
        receipt({ id: "b", status: "sent", updatedAt: NOW - 2 * MIN }),
        receipt({ id: "c", status: "refused", lastError: { code: "permission_denied", message: "no", at: NOW - MIN } }),
        receipt({ id: "d", status: "pending", receipt: "rejected", reason: "not valid JSON: Unexpected end of JSON input",
          lastError: { code: "unknown", message: "Failed to fetch", at: NOW - MIN } }),
      ],
      time,
      NOW,
    );
    expect(text.summary).toBe("2 sent, 1 waiting, 1 refused · last attempt: Cannot reach the server (unavailable)");
    expect(text.rows.map((r) => r.id)).toEqual(["d", "c", "b", "a"]);
    expect(text.rows[0]).toEqual({
      id: "d",
      version: "01234567",
      status: "pending",
      receipt: "Rejected: not valid JSON: Unexpected end of JSON input",
      state: "Waiting to be sent since 08:55 · Cannot reach the server (unavailable)",
      raw: "unknown: Failed to fetch",
    });
    expect(text.rows[1]!.state).toBe("Refused at 08:55: This screen is not allowed to see this (permission_denied)");
    expect(text.rows[2]).toMatchObject({ receipt: "Accepted", state: "Sent at 08:58", raw: undefined });
  });

  it("a policy refusal is the one summary line, however many receipts it refused", () => {
    const refused = [receipt({ id: "a", status: "refused" }), receipt({ id: "b", status: "refused" })];
    expect(describeReceipts(refused, time, NOW, true).summary).toBe(
      "This sign-in may not send receipts; the server needs a role that can write publications",
    );
    expect(describeReceipts([], time, NOW, true).summary).toBe(RECEIPTS_REFUSED_TEXT);
    expect(RECEIPTS_REFUSED_TEXT.split("\n")).toHaveLength(1);
  });
});
