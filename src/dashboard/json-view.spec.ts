import { describe, expect, it } from "vitest";
import { humanize, parseJsonView, toJsonView, viewLines } from "./json-view.js";

describe("JSON view", () => {
  it("shows an object as labelled fields with readable labels", () => {
    expect(toJsonView({ building: "Harbour House", timeZone: "Europe/London", open: true, manager: null })).toEqual({
      kind: "fields",
      fields: [
        { label: "Building", view: { kind: "value", text: "Harbour House" } },
        { label: "Time zone", view: { kind: "value", text: "Europe/London" } },
        { label: "Open", view: { kind: "value", text: "yes" } },
        { label: "Manager", view: { kind: "value", text: "—" } },
      ],
    });
  });

  it("shows an array of records as a table with the union of their keys, missing cells as a dash", () => {
    const view = toJsonView([
      { id: "B1", zones: ["plant-room", "car-park"] },
      { id: "L0", name: "Ground floor" },
    ]);
    expect(view).toEqual({
      kind: "table",
      rowHeader: undefined,
      columns: ["Id", "Zones", "Name"],
      rows: [
        { label: undefined, cells: [v("B1"), v("plant-room, car-park"), v("—")] },
        { label: undefined, cells: [v("L0"), v("—"), v("Ground floor")] },
      ],
    });
  });

  it("shows records keyed by id as a table with row labels, flat records in a cell as one line", () => {
    const view = toJsonView({ zones: { "server-room": { temperature: { low: 18, high: 24 } }, "car-park": { co2: { high: 5000 } } } });
    expect(view).toEqual({
      kind: "fields",
      fields: [
        {
          label: "Zones",
          view: {
            kind: "table",
            rowHeader: "Zones",
            columns: ["Temperature", "Co2"],
            rows: [
              { label: "Server room", cells: [v("low 18 · high 24"), v("—")] },
              { label: "Car park", cells: [v("—"), v("high 5000")] },
            ],
          },
        },
      ],
    });
  });

  it("shows records that hold deeper structure as sections, not a table", () => {
    const view = toJsonView({ units: { co2: "ppm" }, zones: { labs: { co2: { high: 1000 } }, hall: { co2: { high: 900 } } } });
    expect(view.kind).toBe("fields");
    expect((view as unknown as { fields: Array<{ label: string; view: { kind: string } }> }).fields.map((f) => [f.label, f.view.kind])).toEqual([
      ["Units", "fields"],
      ["Zones", "table"],
    ]);
  });

  it("keeps a single nested record as fields, not a one-row table", () => {
    expect(toJsonView({ units: { temperature: "degC" } })).toEqual({
      kind: "fields",
      fields: [{ label: "Units", view: { kind: "fields", fields: [{ label: "Temperature", view: v("degC") }] } }],
    });
  });

  it("lists mixed arrays item by item and says so when an array or object is empty", () => {
    expect(toJsonView([1, { a: 1 }])).toEqual({
      kind: "list",
      items: [v("1"), { kind: "fields", fields: [{ label: "A", view: v("1") }] }],
    });
    expect(toJsonView([])).toEqual(v("none"));
    expect(toJsonView({})).toEqual(v("—"));
  });

  it("stops nesting deep documents and shows the rest as compact JSON", () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    const d = (toJsonView(deep) as any).fields[0].view.fields[0].view.fields[0].view.fields[0].view;
    expect(d).toEqual(v('{"e":1}'));
  });

  it("parses text, and answers undefined for text that is not JSON", () => {
    expect(parseJsonView('{"floors":3}')).toEqual({ kind: "fields", fields: [{ label: "Floors", view: v("3") }] });
    expect(parseJsonView("not json")).toBeUndefined();
  });

  it("counts the lines a view takes: a field, a heading per section, a header and a line per table row", () => {
    expect(viewLines(toJsonView({ a: 1, b: "x" }))).toBe(2);
    expect(viewLines(toJsonView({ a: 1, zones: { x: { t: 1 }, y: { t: 2 } } }))).toBe(1 + 1 + 3);
    expect(viewLines(toJsonView([1, { a: 1 }]))).toBe(2);
  });

  it("humanizes camelCase, kebab and snake keys and leaves codes alone", () => {
    expect(humanize("areaM2")).toBe("Area m2");
    expect(humanize("open-office-north")).toBe("Open office north");
    expect(humanize("last_seen")).toBe("Last seen");
    expect(humanize("B1")).toBe("B1");
    expect(humanize("")).toBe("");
  });
});

function v(text: string) {
  return { kind: "value", text };
}
