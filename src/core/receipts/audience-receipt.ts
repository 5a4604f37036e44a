import type { Publication_Audience_Receipt } from "../../gen/smartcore/traits/publication_pb.js";

/**
 * What a screen said of the version addressed to it: the type of
 * `publication.audience.receipt`, the generated enum
 * `smartcore.traits.Publication.Audience.Receipt`.
 *
 * @public
 */
export type PublicationAudienceReceipt = Publication_Audience_Receipt;

/**
 * The values of {@link (PublicationAudienceReceipt:type)}, usable at run time:
 * `publication.audience?.receipt === PublicationAudienceReceipt.ACCEPTED`.
 *
 * - `RECEIPT_UNSPECIFIED` (0): no audience, or a server that does not track receipts;
 * - `NO_SIGNAL` (1): the screen has not acknowledged this version yet (a
 *   new version, or the same one published again, resets it);
 * - `ACCEPTED` (2): the screen shows this version;
 * - `REJECTED` (3): the screen cannot show it (`receiptRejectedReason` says why).
 *
 * A plain frozen object rather than the generated enum, so that pages use it
 * without loading the protobuf runtime; each member is typed as the enum's
 * own member, so the compiler checks the numbers against the generated code.
 * The enum is open (proto3): a newer server may send a value not listed here.
 *
 * @public
 */
export const PublicationAudienceReceipt: {
  readonly RECEIPT_UNSPECIFIED: Publication_Audience_Receipt.RECEIPT_UNSPECIFIED;
  readonly NO_SIGNAL: Publication_Audience_Receipt.NO_SIGNAL;
  readonly ACCEPTED: Publication_Audience_Receipt.ACCEPTED;
  readonly REJECTED: Publication_Audience_Receipt.REJECTED;
} = Object.freeze({ RECEIPT_UNSPECIFIED: 0, NO_SIGNAL: 1, ACCEPTED: 2, REJECTED: 3 });
