/**
 * The wire values of `Publication.Audience.Receipt`, for code that must not
 * load the protobuf runtime (pages). Checked against the generated enum by
 * src/wire/publication-descriptor.spec.ts.
 */
export const RECEIPT_VALUES = {
  NO_SIGNAL: 1,
  ACCEPTED: 2,
  REJECTED: 3,
} as const;
