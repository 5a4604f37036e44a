/**
 * A named screen's configuration: the JSON body of its `<screen>:config`
 * publication (Smart Core's way: a `<device>:config` publication addressed
 * to a device is that device's configuration). The schema is
 * {@link SCREEN_CONFIG_SCHEMA} (docs/screen-config.md); keys it does not name
 * (the demo's `brightness`) are allowed and ignored, so a management server
 * may carry settings for other software in the same document.
 */
export interface ScreenConfig {
  /** The header's title; `undefined`: the building a publication names, else where the data comes from. */
  readonly title: string | undefined;
  /** The header's second line (where the screen is); `undefined`: the building's address, if any. */
  readonly location: string | undefined;
  /** Publication ids to show, in order; `undefined`: the page's own list (`ids`, else the demo's). */
  readonly show: readonly string[] | undefined;
  /** How long a page of cards stays. */
  readonly pageMs: number;
  /** How long each part of a card too long for its box stays. */
  readonly partMs: number;
  /** At most this many columns (fewer when the screen is too narrow); `undefined`: as many as fit. */
  readonly columns: number | undefined;
  readonly theme: ScreenTheme;
  /** Commands: each is a token whose change is the command (remote-care.ts). */
  readonly reload: string | undefined;
  readonly clearCache: string | undefined;
  readonly signOut: string | undefined;
}

export type ScreenTheme = "light" | "dark" | "auto";

/** What {@link parseScreenConfig} makes of a body: the configuration, or why it is refused (a short line for a facilities manager). */
export type ScreenConfigResult = { readonly ok: true; readonly config: ScreenConfig } | { readonly ok: false; readonly reason: string };

export const DEFAULT_PAGE_SECONDS = 20;
const MIN_SECONDS = 1;
const MAX_SECONDS = 3_600;
const MAX_COLUMNS = 4;
const MAX_SHOWN = 100;
const MAX_TEXT = 200;
const THEMES: readonly ScreenTheme[] = ["light", "dark", "auto"];

/** The configuration of a screen whose publication says nothing (or that has none yet). */
export const DEFAULT_SCREEN_CONFIG: ScreenConfig = {
  title: undefined,
  location: undefined,
  show: undefined,
  pageMs: DEFAULT_PAGE_SECONDS * 1_000,
  partMs: DEFAULT_PAGE_SECONDS * 1_000,
  columns: undefined,
  theme: "auto",
  reload: undefined,
  clearCache: undefined,
  signOut: undefined,
};

/** The JSON schema (draft 2020-12) of a screen configuration; docs/screen-config.schema.json is this, checked by the spec. */
export const SCREEN_CONFIG_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Screen configuration (<screen>:config)",
  type: "object",
  properties: {
    title: { type: "string", minLength: 1, maxLength: MAX_TEXT, description: "The header's title." },
    location: { type: "string", maxLength: MAX_TEXT, description: "The header's second line: where the screen is." },
    show: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      maxItems: MAX_SHOWN,
      description: "Publication ids to show, in order. The screen's own configuration is never shown.",
    },
    pageSeconds: { type: "number", minimum: MIN_SECONDS, maximum: MAX_SECONDS, default: DEFAULT_PAGE_SECONDS, description: "How long a page of cards stays." },
    partSeconds: { type: "number", minimum: MIN_SECONDS, maximum: MAX_SECONDS, description: "How long each part of a long card stays. Default: pageSeconds." },
    columns: { type: "integer", minimum: 1, maximum: MAX_COLUMNS, description: "At most this many columns (fewer on a narrow screen)." },
    theme: { enum: [...THEMES], default: "auto", description: "Light, dark, or the device's setting." },
    reload: { type: "string", maxLength: MAX_TEXT, description: "A new value reloads the screen once." },
    clearCache: { type: "string", maxLength: MAX_TEXT, description: "A new value clears the screen's cached publications once (postponed while offline)." },
    signOut: { type: "string", maxLength: MAX_TEXT, description: "A new value signs the screen out once." },
  },
  additionalProperties: true,
} as const;

/** Reads a configuration body. Never throws: a body that is not one is refused with the first reason found. */
export function parseScreenConfig(text: string): ScreenConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse("not a JSON object");
  const document = value as Record<string, unknown>;
  // Keys are data: read only the document's own properties (never Object.prototype's).
  const field = (key: string): unknown => (Object.hasOwn(document, key) ? document[key] : undefined);
  try {
    const pageSeconds = seconds(field("pageSeconds"), "pageSeconds") ?? DEFAULT_PAGE_SECONDS;
    const partSeconds = seconds(field("partSeconds"), "partSeconds") ?? pageSeconds;
    return {
      ok: true,
      config: {
        title: optionalText(field("title"), "title", 1),
        location: optionalText(field("location"), "location", 0),
        show: shownIds(field("show")),
        pageMs: pageSeconds * 1_000,
        partMs: partSeconds * 1_000,
        columns: columns(field("columns")),
        theme: theme(field("theme")),
        reload: optionalText(field("reload"), "reload", 0),
        clearCache: optionalText(field("clearCache"), "clearCache", 0),
        signOut: optionalText(field("signOut"), "signOut", 0),
      },
    };
  } catch (error) {
    if (error instanceof InvalidField) return refuse(error.message);
    throw error;
  }
}

class InvalidField extends Error {}

function refuse(reason: string): ScreenConfigResult {
  return { ok: false, reason: reason.slice(0, MAX_TEXT) };
}

function shown(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

function optionalText(value: unknown, key: string, minLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim().length < minLength || value.length > MAX_TEXT) {
    throw new InvalidField(`"${key}" must be ${minLength > 0 ? "a non-empty" : "a"} text of at most ${MAX_TEXT} characters (got ${shown(value)})`);
  }
  return value;
}

function seconds(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_SECONDS || value > MAX_SECONDS) {
    throw new InvalidField(`"${key}" must be a number of seconds from ${MIN_SECONDS} to ${MAX_SECONDS} (got ${shown(value)})`);
  }
  return value;
}

function columns(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_COLUMNS) {
    throw new InvalidField(`"columns" must be a whole number from 1 to ${MAX_COLUMNS} (got ${shown(value)})`);
  }
  return value;
}

function theme(value: unknown): ScreenTheme {
  if (value === undefined || value === null) return "auto";
  if (typeof value !== "string" || !(THEMES as readonly string[]).includes(value)) {
    throw new InvalidField(`"theme" must be one of ${THEMES.map((t) => `"${t}"`).join(", ")} (got ${shown(value)})`);
  }
  return value as ScreenTheme;
}

function shownIds(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new InvalidField(`"show" must be a list of publication ids (got ${shown(value)})`);
  if (value.length > MAX_SHOWN) throw new InvalidField(`"show" lists ${value.length} publications; at most ${MAX_SHOWN}`);
  const seen = new Set<string>();
  for (const id of value as unknown[]) {
    if (typeof id !== "string" || id.trim() === "") throw new InvalidField(`"show" must list publication ids as non-empty texts (got ${shown(id)})`);
    if (seen.has(id)) throw new InvalidField(`"show" lists "${id}" twice`);
    seen.add(id);
  }
  return [...seen];
}
