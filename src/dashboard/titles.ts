import { humanize } from "./json-view.js";

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

/** The building's name and address when a JSON publication carries them (the site configuration does). */
export function siteOf(body: string): { name: string; address: string | undefined } | undefined {
  try {
    const value = JSON.parse(body) as { building?: unknown; address?: unknown };
    if (typeof value?.building !== "string") return undefined;
    return { name: value.building, address: typeof value.address === "string" ? value.address : undefined };
  } catch {
    return undefined;
  }
}
