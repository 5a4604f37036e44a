import { describe, expect, it } from "vitest";
import { planPages, type CardNeed } from "./grid-plan.js";
import { createRoomFloors } from "./room-floors.js";

// 11 rows of 36 px with 16 px gaps: a row and a gap are 52 px as laid out.
const GRID = { cols: 3, rows: 11, gap: 16, innerHeight: 11 * 36 + 10 * 16 };
const need = (id: string, rows: number, minRows: number, cols = 1): CardNeed => ({ id, cols, rows, minRows });

describe("room learnt from the real layout", () => {
  it("gives a card whose smallest part overflowed the rows it lacked, and the plan honours them", () => {
    const floors = createRoomFloors();
    const needs = [need("wide", 11, 5, 2), need("other", 6, 5)];
    floors.keepFor(GRID, needs);
    expect(floors.apply(needs)).toEqual(needs);
    // 8 px short at 5 rows: one more row; 60 px short: two more.
    expect(floors.raise([{ placement: { id: "wide", col: 0, row: 6, cols: 2, rows: 5 }, overflowPx: 8 }], GRID)).toBe(true);
    expect(floors.apply(needs)[0]).toMatchObject({ rows: 11, minRows: 6 });
    expect(floors.raise([{ placement: { id: "wide", col: 0, row: 5, cols: 2, rows: 6 }, overflowPx: 60 }], GRID)).toBe(true);
    const raised = floors.apply(needs);
    expect(raised[0]).toMatchObject({ minRows: 8 });
    for (const page of planPages(raised, GRID)) {
      for (const placement of page) if (placement.id === "wide") expect(placement.rows).toBeGreaterThanOrEqual(8);
    }
  });

  it("raises rows too when even the whole card was measured too short", () => {
    const floors = createRoomFloors();
    const needs = [need("a", 3, 3)];
    floors.keepFor(GRID, needs);
    floors.raise([{ placement: { id: "a", col: 0, row: 0, cols: 1, rows: 3 }, overflowPx: 1 }], GRID);
    expect(floors.apply(needs)[0]).toMatchObject({ rows: 4, minRows: 4 });
  });

  it("cannot help a card already as tall as the screen: says so, so the layout stops planning", () => {
    const floors = createRoomFloors();
    const needs = [need("huge", 11, 11)];
    floors.keepFor(GRID, needs);
    expect(floors.raise([{ placement: { id: "huge", col: 0, row: 0, cols: 1, rows: 11 }, overflowPx: 300 }], GRID)).toBe(false);
    expect(floors.apply(needs)).toEqual(needs);
    // Capped at the screen's height, then no further.
    const tall = [need("tall", 11, 9)];
    floors.keepFor(GRID, tall);
    expect(floors.raise([{ placement: { id: "tall", col: 0, row: 0, cols: 1, rows: 9 }, overflowPx: 500 }], GRID)).toBe(true);
    expect(floors.apply(tall)[0]).toMatchObject({ minRows: 11 });
    expect(floors.raise([{ placement: { id: "tall", col: 0, row: 0, cols: 1, rows: 11 }, overflowPx: 10 }], GRID)).toBe(false);
  });

  it("forgets a floor when the grid or the card's measured size changes, and keeps it otherwise", () => {
    const floors = createRoomFloors();
    const needs = [need("a", 10, 5)];
    const learn = () => {
      floors.keepFor(GRID, needs);
      floors.raise([{ placement: { id: "a", col: 0, row: 0, cols: 1, rows: 5 }, overflowPx: 20 }], GRID);
    };
    learn();
    floors.keepFor(GRID, needs);
    expect(floors.apply(needs)[0]?.minRows).toBe(6);
    floors.keepFor({ ...GRID, rows: 12 }, needs);
    expect(floors.apply(needs)[0]?.minRows).toBe(5);
    learn();
    const remeasured = [need("a", 10, 6)];
    floors.keepFor(GRID, remeasured);
    expect(floors.apply(remeasured)).toEqual(remeasured);
  });
});
