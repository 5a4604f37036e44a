import { humanize } from "./json/json-view.js";

/** The publications `npm start` seeds (src/dev/seed/); the page shows them when the URL names none. */
export const DEMO_PUBLICATION_IDS: readonly string[] = ["site-config", "alarm-thresholds", "announcements", "floor-plan"];

const TITLES: Record<string, string> = {
  "site-config": "Site",
  "alarm-thresholds": "Alarm thresholds",
  announcements: "Announcements",
  "floor-plan": "Floor plan",
};

/** A card title for a publication id: a known name, else the id made readable. */
export function titleFor(id: string): string {
  return TITLES[id] ?? humanize(id);
}
