import { describe, expect, it } from "vitest";
import { cycleTicks, planPages, type CardNeed, type Placement } from "./grid-plan.js";

const need = (id: string, rows: number, minRows = rows, cols = 1, chromeRows = 0): CardNeed => ({ id, cols, rows, minRows, chromeRows });

/** Every invariant a plan must keep, whatever the input. */
function expectValid(pages: Placement[][], needs: readonly CardNeed[], grid: { cols: number; rows: number }) {
  const ids = pages.flat().map((p) => p.id);
  expect([...ids].sort()).toEqual(needs.map((n) => n.id).sort());
  for (const page of pages) {
    const cells = new Set<string>();
    for (const p of page) {
      expect(p.col).toBeGreaterThanOrEqual(0);
      expect(p.row).toBeGreaterThanOrEqual(0);
      expect(p.col + p.cols).toBeLessThanOrEqual(grid.cols);
      expect(p.row + p.rows).toBeLessThanOrEqual(grid.rows);
      const wanted = needs.find((n) => n.id === p.id)!;
      expect(p.rows).toBeGreaterThanOrEqual(Math.min(wanted.minRows, wanted.rows, grid.rows));
      for (let r = p.row; r < p.row + p.rows; r++) {
        for (let c = p.col; c < p.col + p.cols; c++) {
          const key = `${c},${r}`;
          expect(cells.has(key), `${p.id} overlaps at ${key}`).toBe(false);
          cells.add(key);
        }
      }
    }
  }
}

describe("the screen plan", () => {
  it("puts cards that fit on one page and grows them to fill it", () => {
    const needs = [need("a", 4), need("b", 3), need("c", 5)];
    const pages = planPages(needs, { cols: 3, rows: 10 });
    expect(pages).toHaveLength(1);
    expectValid(pages, needs, { cols: 3, rows: 10 });
    // No holes: every cell of the page belongs to a card.
    expect(pages[0]!.reduce((sum, p) => sum + p.cols * p.rows, 0)).toBe(30);
  });

  it("opens another page for cards that cannot shrink, in order", () => {
    const needs = Array.from({ length: 8 }, (_, i) => need(`c${i}`, 5));
    const pages = planPages(needs, { cols: 2, rows: 10 });
    expect(pages).toHaveLength(2);
    expect(pages[0]!.map((p) => p.id)).toEqual(["c0", "c1", "c2", "c3"]);
    expectValid(pages, needs, { cols: 2, rows: 10 });
  });

  it("shrinks a tall card to save a page when that shortens the cycle", () => {
    // Without shrinking: [tall | a] on page 1, b on page 2: 2 ticks. Shrunk to 5 rows the
    // tall card pages through its content in 2 parts above b, beside a: 2 ticks, one page.
    const needs = [need("tall", 10, 4), need("a", 6), need("b", 5)];
    const pages = planPages(needs, { cols: 2, rows: 10 });
    expectValid(pages, needs, { cols: 2, rows: 10 });
    expect(pages).toHaveLength(1);
    expect(cycleTicks(pages, needs)).toBe(2);
    expect(pages[0]!.find((p) => p.id === "b")).toMatchObject({ col: 0, row: 5 });
  });

  it("does not shrink cards when the parts would cost more ticks than the pages saved", () => {
    // Fitting all on one page would split "big" into 4 parts (4 ticks) instead of 2 pages (2 ticks).
    const needs = [need("big", 12, 3, 1, 1), need("x", 12, 3), need("y", 12, 12)];
    const pages = planPages(needs, { cols: 2, rows: 12 });
    expectValid(pages, needs, { cols: 2, rows: 12 });
    expect(cycleTicks(pages, needs)).toBeLessThanOrEqual(2);
  });

  it("gives wide cards their columns and never more than the grid has", () => {
    const needs = [need("image", 6, 3, 2), need("a", 6), need("huge", 40, 2, 9)];
    const pages = planPages(needs, { cols: 3, rows: 12 });
    expectValid(pages, needs, { cols: 3, rows: 12 });
    const image = pages.flat().find((p) => p.id === "image")!;
    expect(image.cols).toBeGreaterThanOrEqual(2);
    const huge = pages.flat().find((p) => p.id === "huge")!;
    expect(huge.cols).toBe(3);
    expect(huge.rows).toBeLessThanOrEqual(12);
  });

  it("keeps every invariant for many cards of mixed sizes", () => {
    const needs = Array.from({ length: 40 }, (_, i) => need(`c${i}`, 2 + ((i * 7) % 13), 3, 1 + (i % 5 === 0 ? 1 : 0), 2));
    for (const grid of [
      { cols: 3, rows: 13 },
      { cols: 4, rows: 15 },
      { cols: 1, rows: 6 },
    ]) {
      expectValid(planPages(needs, grid), needs, grid);
    }
  });

  it("narrows a wide card to share a page rather than open one", () => {
    const needs: CardNeed[] = [{ ...need("a", 6, 3), cols: 2 }, { ...need("b", 10, 5), cols: 2, minCols: 1 }];
    const pages = planPages(needs, { cols: 3, rows: 10 });
    expectValid(pages, needs, { cols: 3, rows: 10 });
    expect(pages).toHaveLength(1);
    expect(pages[0]!.find((p) => p.id === "b")).toMatchObject({ col: 2, cols: 1 });
  });

  it("has nothing to plan without cards", () => {
    expect(planPages([], { cols: 3, rows: 10 })).toEqual([]);
  });
});
