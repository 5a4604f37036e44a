import type { CachedValue } from "../entries/index.js";

/**
 * When the server last vouched for the version on screen, as honestly as the
 * updates allow. Values loaded from storage carry no `lastConfirmedAt`; their
 * `receivedAt` is when they were stored (the page's first paint) or when a
 * host loaded them (later, and no confirmation at all). So for stored values
 * we keep the earliest time seen — a lower bound that never overstates
 * freshness — and any real confirmation replaces it.
 */
export interface Confirmation {
  readonly version: string;
  /** Latest time the server sent or confirmed this version, seen by this page. */
  readonly confirmedAt: number | undefined;
  /** Earliest storage time seen for this version (a lower bound of the last confirmation). */
  readonly savedAt: number | undefined;
}

export function trackConfirmation(previous: Confirmation | undefined, value: CachedValue | undefined): Confirmation | undefined {
  if (!value) return undefined;
  const version = value.publication.version;
  const same = previous?.version === version ? previous : undefined;
  const fromServer = value.lastConfirmedAt ?? (value.source === "storage" ? undefined : value.receivedAt);
  const fromStorage = value.source === "storage" ? value.receivedAt : undefined;
  return {
    version,
    confirmedAt: maxDefined(same?.confirmedAt, fromServer),
    savedAt: minDefined(same?.savedAt, fromStorage),
  };
}

/** The best time to call "confirmed at", or `undefined` when nothing is known. */
export function confirmedAt(confirmation: Confirmation | undefined): number | undefined {
  return confirmation?.confirmedAt ?? confirmation?.savedAt;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
