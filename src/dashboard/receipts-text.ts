import type { ReceiptInfo } from "../entries/index.js";
import { describeError } from "./error-text.js";
import type { TimeFormat } from "./time-format.js";

/** One acknowledgement as the diagnostics panel lists it. */
export interface ReceiptRow {
  readonly id: string;
  /** The version acknowledged, shortened as the cards show it. */
  readonly version: string;
  readonly status: ReceiptInfo["status"];
  /** "Accepted", or "Rejected: not valid JSON: …". */
  readonly receipt: string;
  /** "Sent at 08:39", "Waiting to be sent since 08:39 · Cannot reach the server (unavailable)", "Refused at 08:39: …". */
  readonly state: string;
  /** What the server last said, word for word, when it refused or failed. */
  readonly raw: string | undefined;
}

export interface ReceiptsText {
  /**
   * "2 sent, 1 waiting, 0 refused", with why they wait when a send failed
   * ("… · last attempt: Cannot reach the server (unavailable)"), or why there are none.
   */
  readonly summary: string;
  /** Waiting first, then refused, then sent; the newest first within each. */
  readonly rows: readonly ReceiptRow[];
}

/** The summary when the server's access policy refuses this screen's receipts: one line, however many were refused. */
export const RECEIPTS_REFUSED_TEXT = "This sign-in may not send receipts; the server needs a role that can write publications";

const ORDER: Readonly<Record<ReceiptInfo["status"], number>> = { pending: 0, refused: 1, sent: 2 };

/**
 * The receipts section of the diagnostics panel: what this screen told the
 * server about the versions addressed to it — sent, waiting for the network,
 * or refused — in plain words. When the server's access policy refused
 * them (`refusedByPolicy`), the summary is that one line.
 */
export function describeReceipts(receipts: readonly ReceiptInfo[], time: TimeFormat, now: number, refusedByPolicy = false): ReceiptsText {
  if (receipts.length === 0) {
    if (refusedByPolicy) return { summary: RECEIPTS_REFUSED_TEXT, rows: [] };
    return { summary: "None yet. A screen with a name (?screen=…) acknowledges the publications addressed to it.", rows: [] };
  }
  const count = (status: ReceiptInfo["status"]) => receipts.filter((r) => r.status === status).length;
  const rows = [...receipts]
    .sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.updatedAt - a.updatedAt)
    .map((receipt): ReceiptRow => {
      const at = time.clock(receipt.updatedAt, now);
      const error = receipt.lastError === undefined ? undefined : describeError(receipt.lastError);
      const state =
        receipt.status === "sent"
          ? `Sent at ${at}`
          : receipt.status === "pending"
            ? `Waiting to be sent since ${at}${error ? ` · ${error.text}` : ""}`
            : `Refused at ${at}${error ? `: ${error.text}` : ""}`;
      return {
        id: receipt.id,
        version: receipt.version.slice(0, 8),
        status: receipt.status,
        receipt: receipt.receipt === "accepted" ? "Accepted" : `Rejected: ${receipt.reason ?? "no reason given"}`,
        state,
        raw: error?.raw,
      };
    });
  // One at a time, oldest first: while the first waits for the server, the others have not been tried.
  const lastFailure = receipts
    .filter((r) => r.status === "pending" && r.lastError !== undefined)
    .map((r) => r.lastError!)
    .sort((a, b) => b.at - a.at)[0];
  const why = lastFailure === undefined ? "" : ` · last attempt: ${describeError(lastFailure).text}`;
  if (refusedByPolicy) return { summary: RECEIPTS_REFUSED_TEXT, rows };
  return { summary: `${count("sent")} sent, ${count("pending")} waiting, ${count("refused")} refused${why}`, rows };
}
