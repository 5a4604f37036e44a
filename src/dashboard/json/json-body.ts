import { DEFAULT_LABELS } from "../labels.js";
import { toJsonView, type JsonView } from "./json-view.js";

/** The building a JSON publication names (the site configuration does): for the dashboard's header. */
export interface SiteInfo {
  readonly name: string;
  readonly address: string | undefined;
}

/** What the dashboard needs from one JSON body, computed once per version. */
export interface ParsedJson {
  /** The bounded view; `undefined` when the body is not JSON (shown as text then). */
  readonly view: JsonView | undefined;
  readonly site: SiteInfo | undefined;
  /** Why the body is not JSON (the parser's message), when it is not. */
  readonly error?: string;
}

/** Parses a JSON body into its view and site; never throws. */
export function parseJsonBody(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { view: undefined, site: undefined, error: error instanceof Error ? error.message : String(error) };
  }
  return { view: toJsonView(value, { labels: DEFAULT_LABELS }), site: siteOf(value) };
}

/** `{ "building": "Harbour House", "address": "…" }` at the top of a document. */
export function siteOf(value: unknown): SiteInfo | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { building, address } = value as { building?: unknown; address?: unknown };
  if (typeof building !== "string" || building.trim() === "") return undefined;
  return { name: building, address: typeof address === "string" && address.trim() !== "" ? address : undefined };
}
