import type { CardNeed, GridSize, Placement } from "./grid-plan.js";

/** What the grid needs to turn pixels into rows as laid out. */
export interface RowPitch extends GridSize {
  /** The height `main` gives its rows, gaps included. */
  readonly innerHeight: number;
  readonly gap: number;
}

/**
 * Rows a card was seen to need in the real layout beyond what measuring
 * gave it. Measuring at the column width cannot foresee everything — a wide
 * card narrowed to one column to share a page, a line that wraps only in
 * the grid — so when the pager reports that a card's smallest part is still
 * taller than its box, the card gets the rows it lacked as a floor and the
 * screen is planned again. A floor holds for the grid and the measured size
 * it was learnt at, and is forgotten when either changes.
 */
export interface RoomFloors {
  /** Forgets the floors learnt on another grid or for another measured size. */
  keepFor(grid: GridSize, needs: readonly CardNeed[]): void;
  /** `needs` with every floor applied (rows and minRows at least the floor). */
  apply(needs: readonly CardNeed[]): CardNeed[];
  /**
   * Raises the floors of cards whose smallest part overflowed their box by
   * `overflowPx`; true when one rose (so planning again can help), false when
   * none could (already at the full height of the screen).
   */
  raise(overflowing: ReadonlyArray<{ readonly placement: Placement; readonly overflowPx: number }>, grid: RowPitch): boolean;
}

export function createRoomFloors(): RoomFloors {
  const floors = new Map<string, { key: string; rows: number }>();
  let gridKey = "";
  const keyOf = (need: CardNeed) => `${gridKey} ${need.cols}×${need.rows} (${need.minRows})`;
  const keys = new Map<string, string>();

  return {
    keepFor(grid, needs) {
      gridKey = `${grid.cols}×${grid.rows}`;
      keys.clear();
      for (const need of needs) keys.set(need.id, keyOf(need));
      for (const [id, floor] of floors) if (keys.get(id) !== floor.key) floors.delete(id);
    },
    apply(needs) {
      return needs.map((need) => {
        const floor = floors.get(need.id)?.rows;
        return floor === undefined ? need : { ...need, rows: Math.max(need.rows, floor), minRows: Math.max(need.minRows, floor) };
      });
    },
    raise(overflowing, grid) {
      // Each row the card gains adds a row and a gap, as the grid lays them out (rows are 1fr).
      const pitch = (grid.innerHeight + grid.gap) / Math.max(1, grid.rows);
      let raised = false;
      for (const { placement, overflowPx } of overflowing) {
        const key = keys.get(placement.id);
        if (key === undefined) continue;
        const wanted = Math.min(grid.rows, placement.rows + Math.ceil(overflowPx / pitch));
        if (wanted <= placement.rows || wanted <= (floors.get(placement.id)?.rows ?? 0)) continue;
        floors.set(placement.id, { key, rows: wanted });
        raised = true;
      }
      return raised;
    },
  };
}
