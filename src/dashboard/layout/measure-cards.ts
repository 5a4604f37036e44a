import type { PublicationCard } from "../publication-card.js";
import { smallestPartOf, type SmallestPart } from "./content-pages.js";
import type { CardNeed } from "./grid-plan.js";

/** Narrowest column, in rem: about 40 characters of body text. */
const COLUMN_MIN_REM = 20;
const MAX_COLUMNS = 4;
/** Height of one grid row, in rem (cards span whole rows). */
const ROW_REM = 2;
/** A card smaller than its chrome and this many lines of body is not worth showing. */
const MIN_BODY_LINES = 4;
const LINE_HEIGHT = 1.45;
/** Shrinking a card to save a page splits its content into at most this many parts. */
const SHRINK_PARTS = 3;
const FALLBACK_ASPECT = 4 / 3;
/** Measured heights are fractional and the grid's are rounded to device pixels: a card asks for this much more. */
const ROUNDING_PX = 1;

/** What measuring found: each card's need, and the height of its chrome (title, notes, footer) as measured. */
export interface Measurement {
  readonly needs: CardNeed[];
  /** `plain`: without the "2 of 3" line; `paged`: with it (the same when the card cannot be paged). */
  readonly chrome: ReadonlyMap<PublicationCard, { readonly plain: number; readonly paged: number }>;
}

/** The grid the cards are planned on, in the browser's own numbers. */
export interface Grid {
  readonly cols: number;
  readonly rows: number;
  readonly columnWidth: number;
  /** The planned height of one row; the real rows (`1fr`) are at least this tall. */
  readonly rowHeight: number;
  readonly gap: number;
  readonly rem: number;
  /** The height `main` gives its rows, gaps included (for converting pixels to rows as laid out). */
  readonly innerHeight: number;
}

/** Columns of about 20 rem (up to four, or `maxColumns`) and rows of 2 rem that fit `main` now. */
export function measureGrid(main: HTMLElement, maxColumns = MAX_COLUMNS): Grid {
  const style = getComputedStyle(main);
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const gap = parseFloat(style.columnGap) || rem;
  const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = main.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const cols = Math.min(MAX_COLUMNS, maxColumns, Math.max(1, Math.floor((width + gap) / (COLUMN_MIN_REM * rem + gap))));
  const rowHeight = ROW_REM * rem;
  const rows = Math.max(1, Math.floor((height + gap) / (rowHeight + gap)));
  return { cols, rows, columnWidth: (width - (cols - 1) * gap) / cols, rowHeight, gap, rem, innerHeight: height };
}

/** Measures cards for the plan, remembering each card's result until its size can have changed. */
export interface CardMeasurer {
  /**
   * Every card's need at the grid's column width: measured again only for
   * cards whose size key (body, texts, image) or the grid's column width,
   * row height or type size changed since they were last measured.
   */
  measure(main: HTMLElement, cards: readonly PublicationCard[], grid: Grid): Measurement;
  /** Forgets every result (fonts loaded: every text may have a new size). */
  forget(): void;
}

interface Measured {
  readonly key: string;
  readonly need: CardNeed;
  readonly chrome: { readonly plain: number; readonly paged: number };
}

export function createCardMeasurer(): CardMeasurer {
  let remembered = new Map<PublicationCard, Measured>();
  return {
    measure(main, cards, grid) {
      const gridKey = `${grid.cols} ${grid.columnWidth.toFixed(2)} ${grid.rowHeight} ${grid.gap} ${grid.rem}`;
      const keyOf = (card: PublicationCard) => `${gridKey}\u0000${card.sizeKey()}`;
      const stale = cards.filter((card) => remembered.get(card)?.key !== keyOf(card));
      const fresh = measureCards(main, stale, grid);
      const next = new Map<PublicationCard, Measured>();
      for (const card of cards) next.set(card, fresh.get(card) ? { key: keyOf(card), ...fresh.get(card)! } : remembered.get(card)!);
      remembered = next;
      return {
        needs: cards.map((card) => next.get(card)!.need),
        chrome: new Map(cards.map((card) => [card, next.get(card)!.chrome])),
      };
    },
    forget() {
      remembered = new Map();
    },
  };
}

/**
 * The cards' natural sizes at the column width, measured with the grid
 * switched off (`.measuring`: the cards measured stacked, height auto; the
 * others left as they are) — in the same task, so nothing of it is ever
 * painted. Layout reads and writes are batched over the cards (a handful of
 * layouts per pass, not one per card). A card wider than a column (a table
 * with many columns) is measured again two columns wide. Images ask for
 * their aspect ratio's height.
 *
 * The fewest rows a card may get (`minRows`) hold its chrome with the
 * "2 of 3" line and four lines of body, and never less than its smallest
 * part: the tallest block alone, under its headings and table head, with
 * the summary line the last part would carry. (What this misses, the
 * screen layout learns from the real layout; see room-floors.ts.)
 */
function measureCards(main: HTMLElement, cards: readonly PublicationCard[], grid: Grid): Map<PublicationCard, Omit<Measured, "key">> {
  const measured = new Map<PublicationCard, Omit<Measured, "key">>();
  if (cards.length === 0) return measured;
  const toRows = (px: number) => Math.ceil((px + ROUNDING_PX + grid.gap) / (grid.rowHeight + grid.gap));
  const widthOf = (cols: number) => cols * grid.columnWidth + (cols - 1) * grid.gap;
  const heightOf = (element: HTMLElement) => element.getBoundingClientRect().height;
  const isImage = (card: PublicationCard) => card.content.dataset.media === "image";
  main.classList.add("measuring");
  const cols = new Map<PublicationCard, number>();
  for (const card of cards) {
    card.unfit();
    card.element.classList.add("measure");
    // One column each; an image grows into free cells beside it (grid-plan.ts) when the page has room.
    cols.set(card, 1);
    card.element.style.width = `${widthOf(1)}px`;
  }
  const tooWide = cards.filter((card) => !isImage(card) && card.content.scrollWidth > card.content.clientWidth + 1);
  for (const card of tooWide) {
    if (grid.cols < 2) continue;
    cols.set(card, 2);
    card.element.style.width = `${widthOf(2)}px`;
  }

  const lines = MIN_BODY_LINES * LINE_HEIGHT * grid.rem;
  const natural = new Map(cards.map((card) => [card, { total: heightOf(card.element), body: heightOf(card.content) }]));
  // Only a card whose body is longer than the least it may show can be split.
  const smallest = new Map<PublicationCard, SmallestPart>();
  for (const card of cards) {
    if (isImage(card) || natural.get(card)!.body <= lines) continue;
    const part = smallestPartOf(card.content);
    if (part) smallest.set(card, part);
  }
  for (const [card, part] of smallest) card.showSmallestPart(part);
  const paged = new Map([...smallest.keys()].map((card) => [card, { total: heightOf(card.element), body: heightOf(card.content) }]));

  for (const card of cards) {
    const id = card.element.dataset.publicationId ?? "";
    const w = cols.get(card)!;
    const { total, body } = natural.get(card)!;
    const plain = total - body;
    if (isImage(card)) {
      const aspect = card.imageAspect() ?? FALLBACK_ASPECT;
      const rows = toRows(plain + widthOf(w) / aspect);
      // An image scales: it may give up to half its height to share a page.
      measured.set(card, { need: { id, cols: w, rows, minRows: Math.max(toRows(plain + lines), Math.ceil(rows / 2)) }, chrome: { plain, paged: plain } });
      continue;
    }
    const rows = toRows(total);
    const part = paged.get(card);
    // Paged, the card also shows "2 of 3" (it may take a line of its own beside a long title).
    const pagedChrome = part ? part.total - part.body : plain;
    const minRows = Math.max(toRows(Math.max(plain, pagedChrome) + Math.min(body, lines)), toRows(part?.total ?? 0), Math.ceil(rows / SHRINK_PARTS));
    const chromeRows = Math.floor(plain / (grid.rowHeight + grid.gap));
    measured.set(card, { need: { id, cols: w, minCols: 1, rows, minRows, chromeRows }, chrome: { plain, paged: pagedChrome } });
  }

  for (const card of cards) {
    card.unfit();
    card.element.classList.remove("measure");
    card.element.style.width = "";
  }
  main.classList.remove("measuring");
  return measured;
}
