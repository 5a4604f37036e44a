import { DEFAULT_LABELS, type Labels } from "../labels.js";

/**
 * A JSON document as a readable structure — labelled fields, tables for
 * collections of alike records, short lists — instead of raw text. Pure: the
 * DOM is built from this by json-view-dom.ts, so the rules are unit-tested.
 *
 * Bounded: a collection keeps its first `maxEntries` entries and counts the
 * rest in `more` ("+ 9,940 more zones"); long strings and deep structure
 * are shortened. A wall shows what fits, so a 1 MB document costs no more
 * to show than a 10 kB one.
 */
export type JsonView =
  | { readonly kind: "value"; readonly text: string }
  | {
      readonly kind: "fields";
      readonly fields: ReadonlyArray<{ readonly label: string; readonly view: JsonView }>;
      /** Entries left out. */
      readonly more: number;
    }
  | {
      readonly kind: "table";
      /** Header of the row-label column; absent when rows have no labels (an array of records). */
      readonly rowHeader: string | undefined;
      readonly columns: readonly string[];
      readonly rows: ReadonlyArray<{ readonly label: string | undefined; readonly cells: readonly JsonView[] }>;
      /** Rows left out. */
      readonly more: number;
      /** What a row is, in the plural and lower case: "zones", "rows". */
      readonly noun: string;
    }
  | { readonly kind: "list"; readonly items: readonly JsonView[]; readonly more: number; readonly noun: string };

export interface JsonViewOptions {
  readonly labels?: Labels;
  /** Entries kept per collection (fields, rows, items). Default {@link MAX_ENTRIES}. */
  readonly maxEntries?: number;
}

/** Entries kept per collection: more than any wall screen shows in its pages of one card. */
export const MAX_ENTRIES = 60;
/** Below this depth everything is shown as compact text: a wall display is not a tree browser. */
const MAX_DEPTH = 4;
/** Longest value text kept; the rest is cut at a word with "…". */
const MAX_TEXT = 240;
/** Primitive array items listed in one value before "+ N more". */
const MAX_INLINE_ITEMS = 12;
const NONE = "—";

interface Context {
  readonly labels: Labels;
  readonly maxEntries: number;
  readonly depth: number;
  /** What to call one entry of a collection here ("zones"). */
  readonly noun: string;
  /** The unit values here are in. */
  readonly unit: string | undefined;
  /** Units named by a `units` record of an enclosing object: key → symbol (a Map: keys are data). */
  readonly units: ReadonlyMap<string, string>;
  /** Values here are unit tokens (under a `unit` key): shown as symbols. */
  readonly unitTokens: boolean;
}

/** Parses `text`; `undefined` when it is not JSON (the caller shows it as text). */
export function parseJsonView(text: string, options: JsonViewOptions = {}): JsonView | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return toJsonView(value, options);
}

export function toJsonView(value: unknown, options: JsonViewOptions = {}): JsonView {
  return build(value, {
    labels: options.labels ?? DEFAULT_LABELS,
    maxEntries: options.maxEntries ?? MAX_ENTRIES,
    depth: 0,
    noun: "items",
    unit: undefined,
    units: new Map(),
    unitTokens: false,
  });
}

function build(value: unknown, ctx: Context): JsonView {
  if (isPrimitive(value)) return { kind: "value", text: valueText(value, ctx) };
  if (ctx.depth >= MAX_DEPTH) return { kind: "value", text: compact(value) };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "value", text: "none" };
    if (value.every(isPrimitive)) return { kind: "value", text: inlineItems(value, ctx) };
    if (value.every(isRecord)) return table(undefined, value.map((record) => [undefined, record]), ctx);
    const kept = value.slice(0, ctx.maxEntries);
    return {
      kind: "list",
      items: kept.map((item) => build(item, { ...ctx, depth: ctx.depth + 1 })),
      more: value.length - kept.length,
      noun: ctx.noun,
    };
  }
  const record = value as Record<string, unknown>;
  const units = new Map([...ctx.units, ...unitsOf(record, ctx.labels)]);
  const entries = Object.entries(record).filter(([key, v]) => !(key === "units" && isUnitsRecord(v)));
  if (entries.length === 0) return { kind: "value", text: NONE };
  const here = { ...ctx, units };
  // Several shallow records keyed by id (zones, floors…) read best as a table;
  // records holding deeper structure are sections, shown as fields.
  if (entries.length >= 2 && entries.every(([, v]) => isRecord(v) && isShallow(v))) {
    return table(ctx.noun === "items" ? "Item" : capitalize(ctx.noun), entries as Array<[string, Record<string, unknown>]>, here);
  }
  const kept = entries.slice(0, ctx.maxEntries);
  return {
    kind: "fields",
    fields: kept.map(([key, v]) => {
      const { label, unit } = ctx.labels.labelFor(key);
      return { label, view: build(v, child(here, key, label, unit)) };
    }),
    more: entries.length - kept.length,
  };
}

function table(rowHeader: string | undefined, rows: ReadonlyArray<[string | undefined, Record<string, unknown>]>, ctx: Context): JsonView {
  const kept = rows.slice(0, ctx.maxEntries);
  const keys = [...new Set(kept.flatMap(([, record]) => Object.keys(record)))].slice(0, ctx.maxEntries);
  const columns = keys.map((key) => ({ key, ...ctx.labels.labelFor(key) }));
  return {
    kind: "table",
    rowHeader,
    columns: columns.map((c) => c.label),
    rows: kept.map(([key, record]) => {
      const row = key === undefined ? undefined : ctx.labels.labelFor(key);
      // A row's own unit (a "temperature" row of low/high columns) when the column has none.
      const rowUnit = key === undefined ? undefined : (ctx.units.get(key) ?? row?.unit);
      return {
        label: row?.label,
        cells: columns.map((c) => cell(own(record, c.key), child(ctx, c.key, c.label, c.unit, rowUnit))),
      };
    }),
    more: rows.length - kept.length,
    noun: ctx.noun,
  };
}

/** A table cell: a flat record becomes one line ("low 18 · high 24 °C"). */
function cell(value: unknown, ctx: Context): JsonView {
  if (value === undefined) return { kind: "value", text: NONE };
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, v]) => isPrimitive(v))) {
      const parts = entries.map(([key, v]) => {
        const { label, unit } = ctx.labels.labelFor(key);
        const ownUnit = ctx.units.get(key) ?? unit;
        return `${lowerFirst(label)} ${ownUnit ? ctx.labels.withUnit(primitiveText(v as Primitive), ownUnit) : primitiveText(v as Primitive)}`;
      });
      // One unit for the whole line when the parts have none of their own: "low 18 · high 24 °C".
      const ownUnits = entries.some(([key]) => ctx.units.has(key) || ctx.labels.labelFor(key).unit !== undefined);
      return { kind: "value", text: ownUnits ? parts.join(" · ") : ctx.labels.withUnit(parts.join(" · "), ctx.unit) };
    }
  }
  return build(value, ctx);
}

function child(ctx: Context, key: string, label: string, unit: string | undefined, fallbackUnit?: string): Context {
  return {
    ...ctx,
    depth: ctx.depth + 1,
    noun: label.toLowerCase(),
    unit: ctx.units.get(key) ?? unit ?? fallbackUnit ?? ctx.unit,
    unitTokens: key === "unit" || key === "units",
  };
}

/** A `units` record of strings names the unit of the sibling keys' values: `{ "temperature": "degC" }`. */
function unitsOf(record: Record<string, unknown>, labels: Labels): Array<[string, string]> {
  const units = own(record, "units");
  if (!isUnitsRecord(units)) return [];
  return Object.entries(units).map(([key, token]) => [key, labels.unitSymbol(token)]);
}

/** `record[key]` when the document has that key itself; never a member of Object.prototype (`constructor`, `toString`). */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isUnitsRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every((v) => typeof v === "string");
}

/** Values are primitives, primitive arrays or records of primitives: fits table cells. */
function isShallow(record: Record<string, unknown>): boolean {
  return Object.values(record).every(
    (v) => isPrimitive(v) || (Array.isArray(v) && v.every(isPrimitive)) || (isRecord(v) && Object.values(v).every(isPrimitive)),
  );
}

type Primitive = string | number | boolean | null;

function isPrimitive(value: unknown): value is Primitive {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueText(value: Primitive, ctx: Context): string {
  if (typeof value === "string" && ctx.unitTokens) return ctx.labels.unitSymbol(value);
  const text = shorten(primitiveText(value));
  return typeof value === "number" ? ctx.labels.withUnit(text, ctx.unit) : text;
}

function inlineItems(values: readonly Primitive[], ctx: Context): string {
  const shown = values.slice(0, MAX_INLINE_ITEMS).map((v) => valueText(v, ctx));
  const rest = values.length - shown.length;
  return shorten(shown.join(", ")) + (rest > 0 ? ` + ${rest.toLocaleString("en")} more` : "");
}

function primitiveText(value: Primitive): string {
  if (value === null) return NONE;
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Deep structure in one short line. */
function compact(value: unknown): string {
  const count = Array.isArray(value) ? value.length : Object.keys(value as object).length;
  const noun = Array.isArray(value) ? (count === 1 ? "item" : "items") : count === 1 ? "field" : "fields";
  return shortJson(value, MAX_TEXT) ?? `${count.toLocaleString("en")} ${noun}`;
}

/**
 * `JSON.stringify(value)` when it is at most `limit` characters, else `undefined` —
 * without writing the rest: `JSON.stringify` recurses through the whole value, and a
 * body nested a few thousand levels deep (valid JSON, parsed without trouble) overflowed
 * the stack. Every level writes at least one character, so this stops within `limit` levels.
 */
export function shortJson(value: unknown, limit: number): string | undefined {
  let length = 0;
  const parts: string[] = [];
  const write = (text: string) => {
    length += text.length;
    parts.push(text);
    return length <= limit;
  };
  const visit = (v: unknown): boolean => {
    if (isPrimitive(v)) return write(JSON.stringify(v));
    if (Array.isArray(v)) {
      if (!write("[")) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !write(",")) || !visit(v[i])) return false;
      return write("]");
    }
    if (!write("{")) return false;
    let first = true;
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      if ((!first && !write(",")) || !write(`${JSON.stringify(key)}:`) || !visit(item)) return false;
      first = false;
    }
    return write("}");
  };
  return visit(value) ? parts.join("") : undefined;
}

function shorten(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const cut = text.lastIndexOf(" ", MAX_TEXT);
  return `${text.slice(0, cut > MAX_TEXT / 2 ? cut : MAX_TEXT)}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Low" → "low", but "CO₂" and "HVAC" stay. */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/** "timeZone" → "Time zone", "open-office-north" → "Open office north", "B1" stays (see labels.ts). */
export function humanize(key: string): string {
  return DEFAULT_LABELS.labelFor(key).label;
}
