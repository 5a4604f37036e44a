/**
 * The calm timer's rules: on each tick, the cards on the current screen page
 * show their next part; once the card with the most parts has shown all of
 * them, the screen moves to its next page. Pure, so the bound on how long a
 * full cycle takes is tested, not hoped for.
 */
export interface RotationState {
  /** Current screen page, 0-based. */
  readonly page: number;
  /** Ticks spent on this page so far. */
  readonly tick: number;
}

export const START: RotationState = { page: 0, tick: 0 };

/** The state after one tick; `mostParts` is the largest part count among the cards on the current page. */
export function advance(state: RotationState, pageCount: number, mostParts: number): RotationState {
  if (pageCount <= 0) return START;
  const page = Math.min(state.page, pageCount - 1);
  if (state.tick + 1 < Math.max(1, mostParts)) return { page, tick: state.tick + 1 };
  return { page: (page + 1) % pageCount, tick: 0 };
}

/** Which of its `parts` a card shows at `tick` of its page (cards with fewer parts go round again). */
export function partAt(tick: number, parts: number): number {
  return parts <= 1 ? 0 : tick % parts;
}

/** Ticks for a full cycle through every page and every part: each page stays for its card with the most parts. */
export function cycleTicks(mostPartsPerPage: readonly number[]): number {
  return mostPartsPerPage.reduce((sum, parts) => sum + Math.max(1, parts), 0);
}
