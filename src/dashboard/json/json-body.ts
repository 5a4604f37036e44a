import { DEFAULT_LABELS } from "../labels.js";
import { toJsonView, type JsonView } from "./json-view.js";

/** The building a JSON publication names (the site configuration does): for the dashboard's header. */
export interface SiteInfo {
  readonly name: string;
  readonly address: string | undefined;
}

/** What the dashboard needs from one JSON body, computed once per version. */
export interface ParsedJson {
  /** The bounded view; `undefined` when the body cannot be shown as data (then `problem` says why). */
  readonly view: JsonView | undefined;
  readonly site: SiteInfo | undefined;
  /**
   * Why the body is not shown as data, as a short reason for the card's note
   * and the REJECTED receipt: "not valid JSON: …" (it is shown as text then),
   * or "could not be read: …" when a valid document still failed.
   */
  readonly problem?: string;
}

/** Parses a JSON body into its view and site; never throws: a failure is a {@link ParsedJson.problem}. */
export function parseJsonBody(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failed(`not valid JSON: ${messageOf(error)}`);
  }
  try {
    return { view: toJsonView(value, { labels: DEFAULT_LABELS }), site: siteOf(value) };
  } catch (error) {
    // Valid JSON this screen still cannot show: said, never a card left "Waiting for data…".
    return failed(`could not be read: ${messageOf(error)}`);
  }
}

/** A body that cannot be shown as data, and why. */
export function failed(problem: string): ParsedJson {
  return { view: undefined, site: undefined, problem };
}

/** `{ "building": "Harbour House", "address": "…" }` at the top of a document. */
export function siteOf(value: unknown): SiteInfo | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const building = Object.hasOwn(value, "building") ? (value as { building: unknown }).building : undefined;
  const address = Object.hasOwn(value, "address") ? (value as { address: unknown }).address : undefined;
  if (typeof building !== "string" || building.trim() === "") return undefined;
  return { name: building, address: typeof address === "string" && address.trim() !== "" ? address : undefined };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
