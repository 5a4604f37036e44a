import { describe, expect, it } from "vitest";
import type { ReceiptInfo } from "../entries/index.js";
import { describeReceipts, RECEIPTS_REFUSED_TEXT } from "./receipts-text.js";

const receipt = (status: ReceiptInfo["status"], id = "cfg"): ReceiptInfo => ({ device: "dev", id, version: "v1", receipt: "accepted", status, updatedAt: 1 });

describe("receipts line", () => {
  it("a policy refusal is one line, however many receipts it refused", () => {
    const receipts = [receipt("refused", "a"), receipt("refused", "b"), receipt("refused", "c")];
    expect(describeReceipts({ receipts, receiptsRefusedSince: 5 })).toBe(
      "This sign-in may not send receipts; the server needs a role that can write publications",
    );
    expect(RECEIPTS_REFUSED_TEXT.split("\n")).toHaveLength(1);
  });

  it("otherwise counts what was sent, waits and was refused", () => {
    expect(describeReceipts({ receipts: [], receiptsRefusedSince: undefined })).toBe("None sent by this screen");
    expect(describeReceipts({ receipts: [receipt("sent"), receipt("sent", "b"), receipt("pending", "c")], receiptsRefusedSince: undefined })).toBe(
      "2 sent, 1 waiting to be sent",
    );
  });
});
