import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { humanize, parseJsonView, shortJson, toJsonView, type JsonView } from "./json-view.js";

describe("JSON view", () => {
  it("shows an object as labelled fields with readable labels", () => {
    expect(toJsonView({ building: "Harbour House", timeZone: "Europe/London", open: true, manager: null })).toEqual({
      kind: "fields",
      fields: [
        { label: "Building", view: v("Harbour House") },
        { label: "Time zone", view: v("Europe/London") },
        { label: "Open", view: v("yes") },
        { label: "Manager", view: v("—") },
      ],
      more: 0,
    });
  });

  it("shows an array of records as a table with the union of their keys, missing cells as a dash", () => {
    const view = toJsonView({ floors: [{ id: "B1", zones: ["plant-room", "car-park"] }, { id: "L0", name: "Ground floor" }] });
    expect(field(view, 0)).toEqual({
      kind: "table",
      rowHeader: undefined,
      columns: ["ID", "Zones", "Name"],
      rows: [
        { label: undefined, cells: [v("B1"), v("plant-room, car-park"), v("—")] },
        { label: undefined, cells: [v("L0"), v("—"), v("Ground floor")] },
      ],
      more: 0,
      noun: "floors",
    });
  });

  it("shows records keyed by id as a table with row labels, flat records in a cell as one line", () => {
    const view = toJsonView({ zones: { "server-room": { temperature: { low: 18, high: 24 } }, "car-park": { co2: { high: 5000 } } } });
    expect(field(view, 0)).toEqual({
      kind: "table",
      rowHeader: "Zones",
      columns: ["Temperature", "CO₂"],
      rows: [
        { label: "Server room", cells: [v("low 18 · high 24"), v("—")] },
        { label: "Car park", cells: [v("—"), v("high 5000")] },
      ],
      more: 0,
      noun: "zones",
    });
  });

  it("applies a document's `units` to the values they name and does not show the units record itself", () => {
    const view = toJsonView({
      units: { temperature: "degC", humidity: "percentRH", co2: "ppm" },
      zones: { labs: { temperature: { low: 19, high: 23 }, humidity: { low: 35, high: 55 } }, hall: { co2: { high: 900 } } },
    });
    expect(view.kind === "fields" && view.fields.map((f) => f.label)).toEqual(["Zones"]);
    const zones = field(view, 0) as Extract<JsonView, { kind: "table" }>;
    expect(zones.columns).toEqual(["Temperature", "Humidity", "CO₂"]);
    expect(zones.rows[0]!.cells).toEqual([v("low 19 · high 23\u00a0°C"), v("low 35 · high 55\u00a0%\u00a0RH"), v("—")]);
    expect(zones.rows[1]!.cells).toEqual([v("—"), v("—"), v("high 900\u00a0ppm")]);
  });

  it("takes units from keys (areaM2, tempC, co2ppm) and writes unit tokens as symbols", () => {
    const view = toJsonView({ areaM2: 180, tempC: 21.5, co2ppm: 640, sensor: { unit: "percentRH" } });
    expect(view).toEqual({
      kind: "fields",
      fields: [
        { label: "Area", view: v("180\u00a0m²") },
        { label: "Temperature", view: v("21.5\u00a0°C") },
        { label: "CO₂", view: v("640\u00a0ppm") },
        { label: "Sensor", view: { kind: "fields", fields: [{ label: "Unit", view: v("% RH") }], more: 0 } },
      ],
      more: 0,
    });
  });

  it("shows the demo's seed data with people's labels and units", () => {
    const seed = (name: string) => JSON.parse(readFileSync(new URL(`../../dev/seed/${name}`, import.meta.url), "utf8")) as unknown;
    const site = toJsonView(seed("site-config.json"));
    const zones = field(site, 4) as Extract<JsonView, { kind: "table" }>;
    expect(zones.columns).toEqual(["Floor", "Kind", "Area"]);
    expect(zones.rows[0]!.cells).toEqual([v("B1"), v("technical"), v("180\u00a0m²")]);
    const thresholds = toJsonView(seed("alarm-thresholds.json"));
    const text = JSON.stringify(thresholds);
    for (const raw of ["degC", "percentRH", "Co2", "m2"]) expect(text).not.toContain(raw);
    expect(text).toContain("low 18 · high 24\u00a0°C");
    expect(text).toContain("high 5000\u00a0ppm");
  });

  it("keeps the first entries of a large collection and counts the rest", () => {
    const zones = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`zone-${i}`, { tempC: 20, floor: "L1" }]));
    const table = field(toJsonView({ zones }), 0) as Extract<JsonView, { kind: "table" }>;
    expect(table.rows).toHaveLength(60);
    expect(table.more).toBe(9_940);
    expect(table.noun).toBe("zones");
    const list = toJsonView({ values: Array.from({ length: 100 }, (_, i) => i) });
    expect(field(list, 0)).toEqual(v("0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 + 88 more"));
    const few = toJsonView({ a: 1, b: 2, c: 3 }, { maxEntries: 2 });
    expect(few.kind === "fields" && [few.fields.length, few.more]).toEqual([2, 1]);
  });

  it("shortens long text at a word", () => {
    const long = toJsonView({ note: "word ".repeat(200) });
    const text = (field(long, 0) as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(241);
    expect(text.endsWith("word…")).toBe(true);
  });

  it("keeps a single nested record as fields, not a one-row table", () => {
    expect(toJsonView({ sensor: { kind: "probe" } })).toEqual({
      kind: "fields",
      fields: [{ label: "Sensor", view: { kind: "fields", fields: [{ label: "Kind", view: v("probe") }], more: 0 } }],
      more: 0,
    });
  });

  it("lists mixed arrays item by item and says so when an array or object is empty", () => {
    expect(toJsonView([1, { a: 1 }])).toEqual({
      kind: "list",
      items: [v("1"), { kind: "fields", fields: [{ label: "A", view: v("1") }], more: 0 }],
      more: 0,
      noun: "items",
    });
    expect(toJsonView([])).toEqual(v("none"));
    expect(toJsonView({})).toEqual(v("—"));
  });

  it("stops nesting deep documents and shows the rest as compact JSON, or a count when that is long", () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    const d = (toJsonView(deep) as any).fields[0].view.fields[0].view.fields[0].view.fields[0].view;
    expect(d).toEqual(v('{"e":1}'));
    const wide = { a: { b: { c: { d: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, i])) } } } };
    const w = (toJsonView(wide) as any).fields[0].view.fields[0].view.fields[0].view.fields[0].view;
    expect(w).toEqual(v("50 fields"));
  });

  it("parses text, and answers undefined for text that is not JSON", () => {
    expect(parseJsonView('{"floors":3}')).toEqual({ kind: "fields", fields: [{ label: "Floors", view: v("3") }], more: 0 });
    expect(parseJsonView("not json")).toBeUndefined();
  });

  it("humanizes camelCase, kebab and snake keys and leaves codes alone", () => {
    expect(humanize("areaM2")).toBe("Area");
    expect(humanize("open-office-north")).toBe("Open office north");
    expect(humanize("last_seen")).toBe("Last seen");
    expect(humanize("B1")).toBe("B1");
    expect(humanize("")).toBe("");
  });
});

describe("JSON view: keys are data, never object members", () => {
  // Parsed, as bodies are: JSON.parse makes `__proto__` an own key, where an object literal would set the prototype.
  const view = (text: string) => toJsonView(JSON.parse(text));

  it("shows a key named constructor like any other", () => {
    expect(view('{"constructor":{"a":1}}')).toEqual({
      kind: "fields",
      fields: [{ label: "Constructor", view: { kind: "fields", fields: [{ label: "A", view: v("1") }], more: 0 } }],
      more: 0,
    });
  });

  it("shows a key named __proto__ like any other", () => {
    expect(view('{"__proto__":{"a":1},"b":2}')).toEqual({
      kind: "fields",
      fields: [
        { label: "Proto", view: { kind: "fields", fields: [{ label: "A", view: v("1") }], more: 0 } },
        { label: "B", view: v("2") },
      ],
      more: 0,
    });
  });

  it("shows keys named toString, hasOwnProperty and valueOf like any other", () => {
    expect(view('{"toString":1,"hasOwnProperty":2,"valueOf":{"x":1}}')).toEqual({
      kind: "fields",
      fields: [
        { label: "To string", view: v("1") },
        { label: "Has own property", view: v("2") },
        { label: "Value of", view: { kind: "fields", fields: [{ label: "X", view: v("1") }], more: 0 } },
      ],
      more: 0,
    });
  });

  it("takes units only from the document's own `units` keys, never from Object.prototype", () => {
    expect(view('{"units":{"constructor":"degC"},"constructor":21,"toString":5}')).toEqual({
      kind: "fields",
      fields: [
        { label: "Constructor", view: v("21\u00a0°C") },
        { label: "To string", view: v("5") },
      ],
      more: 0,
    });
    // A record with no `units` of its own: `units` is not looked up on the prototype either.
    expect(view('{"__proto__":{"units":{"a":"degC"}},"a":3}')).toMatchObject({ fields: [{ label: "Proto" }, { label: "A", view: v("3") }] });
  });

  it("a table cell for a column a record lacks is a dash, even when the column is called constructor", () => {
    expect(view('{"rows":[{"constructor":1,"b":2},{"b":3}]}')).toEqual({
      kind: "fields",
      fields: [
        {
          label: "Rows",
          view: {
            kind: "table",
            rowHeader: undefined,
            columns: ["Constructor", "B"],
            rows: [
              { label: undefined, cells: [v("1"), v("2")] },
              { label: undefined, cells: [v("—"), v("3")] },
            ],
            more: 0,
            noun: "rows",
          },
        },
      ],
      more: 0,
    });
  });

  it("records keyed by prototype names read as a table with those names as rows", () => {
    const table = field(view('{"zones":{"constructor":{"tempC":20},"toString":{"tempC":21}}}'), 0);
    expect(table).toMatchObject({ kind: "table", rowHeader: "Zones", rows: [{ label: "Constructor" }, { label: "To string" }] });
  });

  it("a document nested thousands of levels deep shows its top and a count, without overflowing the stack", () => {
    const depth = 20_000;
    const deep = JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError); // what the compact form once did
    expect(toJsonView({ a: { b: { c: { d: deep } } } })).toMatchObject({ kind: "fields" });
    expect(shortJson(deep, 240)).toBeUndefined();
    expect(shortJson({ a: [1, "x", null, true, { b: {} }] }, 240)).toBe('{"a":[1,"x",null,true,{"b":{}}]}');
    expect(shortJson(JSON.parse('{"__proto__":1}'), 240)).toBe('{"__proto__":1}');
  });
});

function v(text: string) {
  return { kind: "value", text };
}

function field(view: JsonView, index: number): JsonView {
  if (view.kind !== "fields") throw new Error(`expected fields, got ${view.kind}`);
  return view.fields[index]!.view;
}
