import { humanize } from "./json/json-view.js";

/** The publications `npm start` seeds (src/dev/seed/); the page shows them when the URL names none. */
export const DEMO_PUBLICATION_IDS: readonly string[] = ["site-config", "alarm-thresholds", "announcements", "floor-plan"];

// Maps: an id is data, and `constructor` must not find Object.prototype's.
const TITLES: ReadonlyMap<string, string> = new Map([
  ["site-config", "Site"],
  ["alarm-thresholds", "Alarm thresholds"],
  ["announcements", "Announcements"],
  ["floor-plan", "Floor plan"],
]);

/** Suffixes of Smart Core's `<device>:<what>` ids, as a person says them. */
const SUFFIXES: ReadonlyMap<string, string> = new Map([["config", "configuration"]]);

/**
 * A card title for a publication id: a known name, else the id made
 * readable; Smart Core's per-device `<device>:<what>` ids read as
 * "Lobby display configuration".
 */
export function titleFor(id: string): string {
  const known = TITLES.get(id);
  if (known !== undefined) return known;
  const colon = id.lastIndexOf(":");
  if (colon <= 0 || colon === id.length - 1) return humanize(id);
  const suffix = id.slice(colon + 1);
  return `${humanize(id.slice(0, colon))} ${SUFFIXES.get(suffix) ?? humanize(suffix).toLowerCase()}`;
}
