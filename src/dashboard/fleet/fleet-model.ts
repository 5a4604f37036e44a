import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ContactStatus } from "../server-contact-text.js";
import { PublicationAudienceReceipt, type Publication } from "../../entries/index.js";

/** Where one screen stands with one publication addressed to it. */
export interface FleetEntry {
  readonly id: string;
  readonly version: string;
  /** When this version was published (ms). */
  readonly publishTimeMs: number | undefined;
  readonly mediaType: string;
  /**
   * `waiting`: no receipt for this version yet (NO_SIGNAL or none);
   * `refused`: none, because the server's access policy refuses this
   * screen's receipts (known only where the screen's own host said so).
   */
  readonly receipt: "accepted" | "rejected" | "waiting" | "refused";
  /** When the screen acknowledged (server time, ms). */
  readonly receiptTimeMs: number | undefined;
  readonly reason: string | undefined;
}

/**
 * One screen (an audience name) and everything addressed to it:
 * - `rejecting`: it says it cannot show at least one of them;
 * - `refused`: the server's policy refuses its receipts, so what it shows is not known;
 * - `behind`: it has not acknowledged the latest version of at least one
 *   (`behindSinceMs`: the oldest such version's publish time);
 * - `up-to-date`: it shows the latest of everything addressed to it.
 */
export interface FleetScreen {
  readonly name: string;
  readonly status: "rejecting" | "refused" | "behind" | "up-to-date";
  readonly behindSinceMs: number | undefined;
  readonly entries: readonly FleetEntry[];
}

const STATUS_ORDER: Record<FleetScreen["status"], number> = { rejecting: 0, refused: 1, behind: 2, "up-to-date": 3 };

/**
 * The fleet from a device's publications (metadata): every publication with
 * an audience, grouped by screen; the screens that need someone first
 * (rejecting, refused, then the longest behind), up-to-date ones last.
 *
 * `refusedIds`: publications whose receipts the server's access policy
 * refuses, as this browser's cache host knows them (its screen tried, the
 * refusal still stands). The server itself only says NO_SIGNAL; without
 * that knowledge a publication stays `waiting`, never guessed `refused`.
 */
export function fleetOf(publications: readonly Publication[], refusedIds: ReadonlySet<string> = new Set()): FleetScreen[] {
  const byScreen = new Map<string, FleetEntry[]>();
  for (const publication of publications) {
    const audience = publication.audience;
    if (!audience || audience.name === "") continue;
    const { receipt } = audience;
    const rejected = receipt === PublicationAudienceReceipt.REJECTED;
    const entry: FleetEntry = {
      id: publication.id,
      version: publication.version,
      publishTimeMs: publication.publishTime ? timestampMs(publication.publishTime) : undefined,
      mediaType: publication.mediaType,
      receipt:
        receipt === PublicationAudienceReceipt.ACCEPTED ? "accepted" : rejected ? "rejected" : refusedIds.has(publication.id) ? "refused" : "waiting",
      receiptTimeMs: audience.receiptTime ? timestampMs(audience.receiptTime) : undefined,
      reason: rejected && audience.receiptRejectedReason !== "" ? audience.receiptRejectedReason : undefined,
    };
    const entries = byScreen.get(audience.name) ?? [];
    entries.push(entry);
    byScreen.set(audience.name, entries);
  }
  const screens = [...byScreen].map(([name, entries]): FleetScreen => {
    const behind = entries.filter((e) => e.receipt !== "accepted");
    const has = (receipt: FleetEntry["receipt"]) => entries.some((e) => e.receipt === receipt);
    const status = has("rejected") ? "rejecting" : has("refused") ? "refused" : behind.length > 0 ? "behind" : "up-to-date";
    const since = behind.map((e) => e.publishTimeMs).filter((t): t is number => t !== undefined);
    return {
      name,
      status,
      behindSinceMs: since.length > 0 ? Math.min(...since) : undefined,
      entries: entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
  });
  return screens.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (a.behindSinceMs ?? Number.POSITIVE_INFINITY) - (b.behindSinceMs ?? Number.POSITIVE_INFINITY) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** "3 screens · 1 rejecting · 1 with receipts refused · 1 behind · 1 up to date". */
export function fleetSummary(screens: readonly FleetScreen[]): string {
  const count = (status: FleetScreen["status"]) => screens.filter((s) => s.status === status).length;
  const parts = [`${screens.length} ${screens.length === 1 ? "screen" : "screens"}`];
  if (count("rejecting") > 0) parts.push(`${count("rejecting")} rejecting`);
  if (count("refused") > 0) parts.push(`${count("refused")} with receipts refused`);
  if (count("behind") > 0) parts.push(`${count("behind")} behind`);
  if (count("up-to-date") > 0) parts.push(`${count("up-to-date")} up to date`);
  return parts.join(" · ");
}

/** How long, as a facilities manager says it: "less than a minute", "12 minutes", "3 hours", "2 days". */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${hours === 1 ? "hour" : "hours"}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/**
 * Up to when the fleet view can vouch for what it shows: now while the
 * server answers; the time the host last heard it while it does not — the
 * "behind for" times stop there, since whether a screen has caught up
 * since cannot be known.
 */
export function fleetAsOf(status: ContactStatus, now: number): { readonly offline: boolean; readonly asOf: number } {
  if (status.kind !== "offline") return { offline: false, asOf: now };
  return { offline: true, asOf: Math.min(now, status.since ?? now) };
}
