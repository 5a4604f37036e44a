import { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
import type { PublicationUpdate } from "./publication-update.js";

/** What a screen can say of a version it was sent. */
export type ScreenReceipt = "accepted" | "rejected";

/** What the client sends the host for one acknowledgement (the message without its envelope). */
export interface AcknowledgementRequest {
  readonly id: string;
  readonly version: string;
  readonly publishTimeMs: number | undefined;
  readonly receipt: ScreenReceipt;
  readonly reason?: string;
}

/** Longest rejection reason sent: a short line for a facilities manager, not a stack trace. */
export const MAX_REASON_LENGTH = 200;

/**
 * A screen's side of receipts: decides when the version a publication shows
 * is to be acknowledged, and asks the host (which sends each once, even
 * after waiting for the network).
 *
 * Only publications whose audience names this screen are acknowledged, and
 * only when the server does not already hold that receipt for that version
 * (an acknowledgement echoed back by the server, or identical content
 * re-published — same version, a new publish time and `NO_SIGNAL` again —
 * which is acknowledged anew).
 */
export class ScreenReceipts {
  /** What this tab asked for last, per id (a repeated render asks nothing). */
  readonly #asked = new Map<string, string>();

  constructor(
    private readonly screen: string | undefined,
    private readonly send: (request: AcknowledgementRequest) => void,
  ) {}

  /**
   * Acknowledges the version `update` shows, when it is addressed to this
   * screen and the server does not hold this receipt for it yet. Returns
   * whether an acknowledgement was asked for.
   */
  acknowledge(update: PublicationUpdate, receipt: ScreenReceipt, reason?: string): boolean {
    const publication = update.value?.publication;
    const audience = publication?.audience;
    if (!publication || !this.screen || audience?.name !== this.screen || publication.version === "") return false;
    const held = receipt === "accepted" ? PublicationAudienceReceipt.ACCEPTED : PublicationAudienceReceipt.REJECTED;
    const shortReason = receipt === "rejected" ? (reason ?? "cannot be shown").slice(0, MAX_REASON_LENGTH) : undefined;
    const current = audience.receipt;
    if (current === held && (receipt === "accepted" || audience.receiptRejectedReason === shortReason)) return false;
    const publishTimeMs = publication.publishTime
      ? Number(publication.publishTime.seconds) * 1000 + Math.floor(publication.publishTime.nanos / 1e6)
      : undefined;
    const key = JSON.stringify([publication.version, publishTimeMs ?? null, receipt, shortReason ?? null]);
    if (this.#asked.get(update.id) === key) return false;
    this.#asked.set(update.id, key);
    this.send({
      id: update.id,
      version: publication.version,
      publishTimeMs,
      receipt,
      ...(shortReason !== undefined && { reason: shortReason }),
    });
    return true;
  }

  /** Forgets what was asked for `id` (its subscription ended). */
  forget(id: string): void {
    this.#asked.delete(id);
  }
}
