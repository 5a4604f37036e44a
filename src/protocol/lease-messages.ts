import { asNumber, asRecord, asString } from "./validate.js";

/**
 * The tab ↔ tab messages of the leader lease (src/client/leader-lease.ts),
 * on a channel of their own so the cache's channel never carries them.
 * Bump `v` on any incompatible change: tabs of two versions then ignore each
 * other's announcements and fall back on the lease record's expiry.
 */
export type LeaseMessage =
  /** `holder` took or renewed the lease until `expiresAt` (epoch ms). */
  | { readonly v: 1; readonly type: "held"; readonly holder: string; readonly expiresAt: number }
  /** `holder` let go (closed, resigned): a follower may claim the lease now. */
  | { readonly v: 1; readonly type: "released"; readonly holder: string };

/** The lease channel of one lease name (`leaderLockName(databaseName)`). */
export const leaseChannelName = (leaseName: string) => `pubcache-lease:v1:${leaseName}`;

/** The message, or `undefined` for anything else (dropped by the caller). */
export function parseLeaseMessage(data: unknown): LeaseMessage | undefined {
  const record = asRecord(data);
  if (record?.v !== 1) return undefined;
  const holder = asString(record.holder, 200);
  if (holder === undefined) return undefined;
  if (record.type === "released") return { v: 1, type: "released", holder };
  if (record.type !== "held") return undefined;
  const expiresAt = asNumber(record.expiresAt, 0);
  return expiresAt === undefined ? undefined : { v: 1, type: "held", holder, expiresAt };
}
