import { describe, expect, it } from "vitest";
import type { ReceiptInfo } from "../protocol/messages.js";
import { applyHostReport, type ReportedDiagnostics } from "./host-report-inbox.js";

const scope = { server: "https://bms.example/api", device: "lobby", partition: "" };

function nothingReported(): ReportedDiagnostics {
  return { receipts: [], receiptsRefusedSince: undefined, storageRecoveries: [], upstreamProtocol: undefined, watchdogEvents: [], serverContact: undefined };
}

const receipt = (device: string): ReceiptInfo => ({ device, id: "news", version: "v1", receipt: "accepted", status: "sent", updatedAt: 5 });

describe("what a tab takes from the host's reports", () => {
  it("takes this device's receipts from its server's report, and nothing from another server's", () => {
    const reported = nothingReported();
    applyHostReport({ v: 1, type: "receipts", server: scope.server, receipts: [receipt("lobby"), receipt("hall")], refusedSince: 7 }, reported, scope);
    expect(reported.receipts).toEqual([receipt("lobby")]);
    expect(reported.receiptsRefusedSince).toBe(7);
    applyHostReport({ v: 1, type: "receipts", server: "https://other.example/", receipts: [] }, reported, scope);
    expect(reported.receipts).toEqual([receipt("lobby")]);
    expect(reported.receiptsRefusedSince).toBe(7);
  });

  it("keeps its server's contact and its origin's protocol until a report names them again", () => {
    const reported = nothingReported();
    const contact = { server: scope.server, heardAt: 10 };
    applyHostReport({ v: 1, type: "server-contacts", contacts: [{ server: "https://other.example/", heardAt: 1 }, contact] }, reported, scope);
    applyHostReport({ v: 1, type: "server-contacts", contacts: [{ server: "https://other.example/", lostAt: 2 }] }, reported, scope);
    expect(reported.serverContact).toEqual(contact);
    const upstream = { origin: "https://bms.example", protocol: "h2", since: 3 };
    applyHostReport({ v: 1, type: "upstream-protocols", upstreams: [upstream] }, reported, scope);
    applyHostReport({ v: 1, type: "upstream-protocols", upstreams: [{ origin: "https://other.example", since: 4 }] }, reported, scope);
    expect(reported.upstreamProtocol).toEqual(upstream);
  });
});
