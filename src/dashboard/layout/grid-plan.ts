/**
 * Which cards go on which screen page, and where: a pure plan over a grid of
 * `cols` × `rows` cells (screen-layout.ts measures the cells and the cards).
 *
 * Each card asks for a size in cells (`cols` × `rows`, from its measured
 * content) and says how small it may get (`minRows`: below that it would
 * page through its content too often to read). The plan:
 * 1. places cards in order, each at the first free spot (top to bottom,
 *    left to right) of the first page with room, opening pages as needed;
 * 2. grows every card into the free cells below and beside it, so no page
 *    has holes;
 * 3. tries fewer pages by shrinking the tallest shrinkable cards (a card that
 *    lost rows pages through its content instead), and keeps the plan whose
 *    full cycle — every page shown for as many ticks as its card with the
 *    most parts needs — is shortest; on a tie, the one with fewer pages.
 */
export interface CardNeed {
  readonly id: string;
  /** Columns wanted (1 or more). */
  readonly cols: number;
  /** Rows wanted to show everything. */
  readonly rows: number;
  /** Fewest rows that are still worth showing. */
  readonly minRows: number;
  /** Rows of title, notes and footer, repeated on every part (for estimating parts). Default 0. */
  readonly chromeRows?: number;
  /**
   * Fewest columns it can do with (a wide table then leaves columns out and says so).
   * Default `cols`. A card narrows to share a page rather than open one.
   */
  readonly minCols?: number;
}

export interface Placement {
  readonly id: string;
  /** 0-based first column and row. */
  readonly col: number;
  readonly row: number;
  readonly cols: number;
  readonly rows: number;
}

export interface GridSize {
  readonly cols: number;
  readonly rows: number;
}

/** Pages of placements; every card is on exactly one page; no two placements on a page overlap. */
export function planPages(needs: readonly CardNeed[], grid: GridSize): Placement[][] {
  if (needs.length === 0) return [];
  const cols = Math.max(1, Math.floor(grid.cols));
  const rows = Math.max(1, Math.floor(grid.rows));
  const clamped = needs.map((need) => {
    const wide = clamp(need.cols, 1, cols);
    const tall = clamp(need.rows, 1, rows);
    return { id: need.id, cols: wide, minCols: clamp(need.minCols ?? wide, 1, wide), rows: tall, minRows: clamp(need.minRows, 1, tall) };
  });
  const heights = clamped.map((need) => need.rows);
  const evaluate = (rowsOf: readonly number[]) => {
    const pages = pack(clamped, rowsOf, cols, rows).map((page) => grow(page, cols, rows));
    return { pages, ticks: cycleTicks(pages, needs) };
  };
  let best = evaluate(heights);
  const fewest = Math.ceil(clamped.reduce((sum, need) => sum + need.cols * need.minRows, 0) / (cols * rows));
  let pageCount = best.pages.length;
  // Each step shrinks the tallest shrinkable cards until one page fewer is needed.
  while (pageCount > fewest) {
    let saved = false;
    for (;;) {
      const index = tallestShrinkable(clamped, heights);
      if (index < 0) break;
      heights[index]! -= 1;
      const packed = pack(clamped, heights, cols, rows).length;
      if (packed < pageCount) {
        pageCount = packed;
        saved = true;
        break;
      }
    }
    if (!saved) break;
    const trial = evaluate(heights);
    if (trial.ticks < best.ticks || (trial.ticks === best.ticks && trial.pages.length < best.pages.length)) best = trial;
  }
  return best.pages;
}

/** Ticks to show every part of every card: each page stays for its card with the most parts (at most `maxParts`). */
export function cycleTicks(pages: readonly Placement[][], needs: readonly CardNeed[], maxParts = 4): number {
  const byId = new Map(needs.map((need) => [need.id, need]));
  return pages.reduce((sum, page) => sum + Math.max(1, ...page.map((p) => estimateParts(byId.get(p.id), p.rows, maxParts))), 0);
}

function estimateParts(need: CardNeed | undefined, rows: number, maxParts: number): number {
  if (!need || need.rows <= rows) return 1;
  const chrome = Math.max(0, need.chromeRows ?? 0);
  return Math.min(maxParts, Math.ceil(Math.max(1, need.rows - chrome) / Math.max(1, rows - chrome)));
}

function tallestShrinkable(needs: ReadonlyArray<{ minRows: number }>, heights: readonly number[]): number {
  let index = -1;
  for (let i = 0; i < needs.length; i++) {
    const h = heights[i]!;
    if (h <= needs[i]!.minRows) continue;
    // Ties go to the later card: the first cards keep their size.
    if (index < 0 || h >= heights[index]!) index = i;
  }
  return index;
}

function pack(
  needs: ReadonlyArray<{ id: string; cols: number; minCols: number }>,
  heights: readonly number[],
  cols: number,
  rows: number,
): Placement[][] {
  const pages: Array<{ cells: boolean[]; placements: Placement[] }> = [];
  const place = (page: (typeof pages)[number], id: string, w: number, h: number): boolean => {
    const spot = firstFree(page.cells, w, h, cols, rows);
    if (!spot) return false;
    occupy(page.cells, spot.col, spot.row, w, h, cols);
    page.placements.push({ id, ...spot, cols: w, rows: h });
    return true;
  };
  needs.forEach((need, i) => {
    const height = heights[i]!;
    // Its own width on a page with room, else narrower on one, else a new page.
    for (let w = need.cols; w >= need.minCols; w--) {
      for (const page of pages) if (place(page, need.id, w, height)) return;
    }
    const page = { cells: new Array<boolean>(cols * rows).fill(false), placements: [] as Placement[] };
    pages.push(page);
    place(page, need.id, need.cols, height);
  });
  return pages.map((page) => page.placements);
}

function firstFree(cells: readonly boolean[], w: number, h: number, cols: number, rows: number): { col: number; row: number } | undefined {
  for (let row = 0; row + h <= rows; row++) {
    for (let col = 0; col + w <= cols; col++) {
      if (isFree(cells, col, row, w, h, cols)) return { col, row };
    }
  }
  return undefined;
}

function isFree(cells: readonly boolean[], col: number, row: number, w: number, h: number, cols: number): boolean {
  for (let r = row; r < row + h; r++) {
    for (let c = col; c < col + w; c++) if (cells[r * cols + c]) return false;
  }
  return true;
}

function occupy(cells: boolean[], col: number, row: number, w: number, h: number, cols: number): void {
  for (let r = row; r < row + h; r++) {
    for (let c = col; c < col + w; c++) cells[r * cols + c] = true;
  }
}

/** Each card takes the free rows below it, then the free columns beside it. */
function grow(page: readonly Placement[], cols: number, rows: number): Placement[] {
  const cells = new Array<boolean>(cols * rows).fill(false);
  for (const p of page) occupy(cells, p.col, p.row, p.cols, p.rows, cols);
  const grown = page.map((p) => ({ ...p }));
  for (const p of grown) {
    while (p.row + p.rows < rows && isFree(cells, p.col, p.row + p.rows, p.cols, 1, cols)) {
      occupy(cells, p.col, p.row + p.rows, p.cols, 1, cols);
      p.rows++;
    }
  }
  for (const p of grown) {
    while (p.col + p.cols < cols && isFree(cells, p.col + p.cols, p.row, 1, p.rows, cols)) {
      occupy(cells, p.col + p.cols, p.row, 1, p.rows, cols);
      p.cols++;
    }
  }
  return grown;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(value)));
}
