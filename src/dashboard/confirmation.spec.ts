import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { CachedValue } from "../core/cache-types.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { confirmedAt, trackConfirmation } from "./confirmation.js";

const value = (version: string, source: CachedValue["source"], receivedAt: number, lastConfirmedAt?: number): CachedValue => ({
  publication: create(PublicationSchema, { id: "p", version }),
  source,
  receivedAt,
  lastConfirmedAt,
});

describe("confirmation tracking", () => {
  it("a stored value counts from when it was stored, never from when a host later loaded it", () => {
    const firstPaint = trackConfirmation(undefined, value("v1", "storage", 1_000));
    const hostLoaded = trackConfirmation(firstPaint, value("v1", "storage", 9_000));
    expect(confirmedAt(hostLoaded)).toBe(1_000);
  });

  it("a server confirmation replaces the stored lower bound and only moves forward", () => {
    const stored = trackConfirmation(undefined, value("v1", "storage", 1_000));
    const confirmed = trackConfirmation(stored, value("v1", "stream", 5_000, 5_000));
    expect(confirmedAt(confirmed)).toBe(5_000);
    // A restarted host re-serves the stored copy: the page still knows the confirmation it saw.
    expect(confirmedAt(trackConfirmation(confirmed, value("v1", "storage", 9_000)))).toBe(5_000);
  });

  it("a new version starts afresh; no value means nothing to confirm", () => {
    const v1 = trackConfirmation(undefined, value("v1", "stream", 5_000, 5_000));
    expect(confirmedAt(trackConfirmation(v1, value("v2", "storage", 7_000)))).toBe(7_000);
    expect(trackConfirmation(v1, undefined)).toBeUndefined();
    expect(confirmedAt(undefined)).toBeUndefined();
  });
});
