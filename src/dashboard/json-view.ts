/**
 * A JSON document as a readable structure — labelled fields, tables for
 * collections of alike records, short lists — instead of raw text. Pure: the
 * DOM is built from this by json-view-dom.ts, so the rules are unit-tested.
 */
export type JsonView =
  | { readonly kind: "value"; readonly text: string }
  | { readonly kind: "fields"; readonly fields: ReadonlyArray<{ readonly label: string; readonly view: JsonView }> }
  | {
      readonly kind: "table";
      /** Header of the row-label column; absent when rows have no labels (an array of records). */
      readonly rowHeader: string | undefined;
      readonly columns: readonly string[];
      readonly rows: ReadonlyArray<{ readonly label: string | undefined; readonly cells: readonly JsonView[] }>;
    }
  | { readonly kind: "list"; readonly items: readonly JsonView[] };

/** Below this depth everything is shown as compact JSON text: a wall display is not a tree browser. */
const MAX_DEPTH = 4;
const NONE = "—";

/** Parses `text`; `undefined` when it is not JSON (the caller shows it as text). */
export function parseJsonView(text: string): JsonView | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return toJsonView(value, "Item");
}

export function toJsonView(value: unknown, label = "Item", depth = 0): JsonView {
  if (isPrimitive(value)) return { kind: "value", text: primitiveText(value) };
  if (depth >= MAX_DEPTH) return { kind: "value", text: JSON.stringify(value) };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "value", text: "none" };
    if (value.every(isPrimitive)) return { kind: "value", text: value.map(primitiveText).join(", ") };
    if (value.every(isRecord)) return table(undefined, value.map((record) => [undefined, record]), depth);
    return { kind: "list", items: value.map((item) => toJsonView(item, label, depth + 1)) };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { kind: "value", text: NONE };
  // Several shallow records keyed by id (zones, floors…) read best as a table;
  // records holding deeper structure are sections, shown as fields.
  if (entries.length >= 2 && entries.every(([, v]) => isRecord(v) && isShallow(v))) {
    return table(label, entries as Array<[string, Record<string, unknown>]>, depth);
  }
  return {
    kind: "fields",
    fields: entries.map(([key, v]) => ({ label: humanize(key), view: toJsonView(v, humanize(key), depth + 1) })),
  };
}

function table(
  rowHeader: string | undefined,
  rows: ReadonlyArray<[string | undefined, Record<string, unknown>]>,
  depth: number,
): JsonView {
  const keys = [...new Set(rows.flatMap(([, record]) => Object.keys(record)))];
  return {
    kind: "table",
    rowHeader,
    columns: keys.map(humanize),
    rows: rows.map(([key, record]) => ({
      label: key === undefined ? undefined : humanize(key),
      cells: keys.map((k) => cell(record[k], humanize(k), depth + 1)),
    })),
  };
}

/** A table cell: a flat record becomes one line ("low 16 · high 27"). */
function cell(value: unknown, label: string, depth: number): JsonView {
  if (value === undefined) return { kind: "value", text: NONE };
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, v]) => isPrimitive(v))) {
      return { kind: "value", text: entries.map(([k, v]) => `${humanize(k).toLowerCase()} ${primitiveText(v as Primitive)}`).join(" · ") };
    }
  }
  return toJsonView(value, label, depth);
}

/** Roughly how many lines a view takes: the dashboard gives heavy documents a taller card. */
export function viewLines(view: JsonView): number {
  switch (view.kind) {
    case "value":
      return 1;
    case "fields":
      return view.fields.reduce((sum, f) => sum + (f.view.kind === "value" ? 1 : 1 + viewLines(f.view)), 0);
    case "table":
      return 1 + view.rows.length;
    case "list":
      return view.items.reduce((sum, item) => sum + viewLines(item), 0);
  }
}

/** "timeZone" → "Time zone", "open-office-north" → "Open office north", "B1" stays. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .trim();
  if (words === "") return key;
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/ ([A-Z])(?=[a-z0-9]|$)/g, (_m, c: string) => ` ${c.toLowerCase()}`);
}

/** Values are primitives, primitive arrays or records of primitives: fits table cells. */
function isShallow(record: Record<string, unknown>): boolean {
  return Object.values(record).every(
    (v) =>
      isPrimitive(v) ||
      (Array.isArray(v) && v.every(isPrimitive)) ||
      (isRecord(v) && Object.values(v).every(isPrimitive)),
  );
}

type Primitive = string | number | boolean | null;

function isPrimitive(value: unknown): value is Primitive {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function primitiveText(value: Primitive): string {
  if (value === null) return NONE;
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
