import type { PublicationCard } from "../publication-card.js";
import { planPages, type CardNeed, type Placement } from "./grid-plan.js";
import { advance, partAt, START, type RotationState } from "./rotation.js";

/** Default time each screen page (and each part of a long card) stays: calm on a wall. */
export const DEFAULT_PAGE_MS = 20_000;
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

export interface ScreenLayout {
  /** Something changed the cards' sizes (a body, a note): plan again before the next frame. */
  invalidate(): void;
  /**
   * Fits again, at once, the cards on screen whose body or box changed (called after every
   * change the page makes: a body, a note, the texts re-worded each second), so no frame
   * shows a body that does not fit; the full plan follows before the next frame.
   */
  check(): void;
  /** Stops the timer and the observers. */
  stop(): void;
}

export interface ScreenLayoutOptions {
  /** The `main` the cards are in. */
  readonly main: HTMLElement;
  /** The cards, in the order the URL names them. */
  readonly cards: readonly PublicationCard[];
  /** Where "Page 2 of 3" is shown. */
  readonly indicator: HTMLElement;
  /** How long each page or part stays. Default {@link DEFAULT_PAGE_MS}. */
  readonly pageMs?: number;
}

/**
 * Fits the cards to the screen: measures the space (ResizeObserver: the
 * window, the offline banner), each card's natural size at the column width,
 * plans pages (grid-plan.ts), places the current page's cards on a CSS grid
 * and splits each card's body into parts that fit its box
 * (content-pages.ts). A calm timer shows the next part of long cards, then
 * the next page (rotation.ts); `main` says where it is (`data-page`,
 * `data-pages`) and the indicator reads "Page 2 of 3". Pages fade in unless
 * the viewer prefers reduced motion.
 */
export function startScreenLayout(options: ScreenLayoutOptions): ScreenLayout {
  const { main, cards, indicator } = options;
  const pageMs = options.pageMs ?? DEFAULT_PAGE_MS;
  const byId = new Map(cards.map((card) => [card.element.dataset.publicationId ?? "", card]));
  let pages: Placement[][] = [];
  let state: RotationState = START;
  let partCounts = new Map<PublicationCard, number>();
  let frame = 0;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

  function invalidate() {
    if (frame === 0) frame = requestAnimationFrame(relayout);
  }

  function relayout() {
    frame = 0;
    const grid = measureGrid(main);
    const needs = measureNeeds(main, cards, grid);
    pages = planPages(needs, grid);
    // For diagnostics and tests: what each card asked for, "id cols×rows (min)".
    main.dataset.needs = needs.map((n) => `${n.id} ${n.cols}×${n.rows} (${n.minRows})`).join(", ");
    main.dataset.grid = `${grid.cols}×${grid.rows}`;
    main.style.setProperty("--cols", String(grid.cols));
    main.style.setProperty("--rows", String(grid.rows));
    state = { page: Math.min(state.page, Math.max(0, pages.length - 1)), tick: state.tick };
    showPage(false);
  }

  function showPage(animate: boolean) {
    const placements = pages[state.page] ?? [];
    const onPage = new Set<PublicationCard>();
    for (const placement of placements) {
      const card = byId.get(placement.id);
      if (!card) continue;
      onPage.add(card);
      card.element.style.gridColumn = `${placement.col + 1} / span ${placement.cols}`;
      card.element.style.gridRow = `${placement.row + 1} / span ${placement.rows}`;
      card.element.classList.remove("off-page");
    }
    for (const card of cards) if (!onPage.has(card)) card.element.classList.add("off-page");
    partCounts = new Map();
    for (const card of onPage) partCounts.set(card, card.fit());
    showParts();
    main.dataset.page = String(state.page + 1);
    main.dataset.pages = String(pages.length);
    indicator.hidden = pages.length <= 1;
    indicator.textContent = `Page ${state.page + 1} of ${pages.length}`;
    if (animate && !reducedMotion.matches) main.animate([{ opacity: 0.25 }, { opacity: 1 }], { duration: 500, easing: "ease-out" });
  }

  function showParts() {
    for (const [card, count] of partCounts) {
      card.showPart(partAt(state.tick, count));
      card.markShown();
    }
  }

  function tick() {
    if (pages.length === 0) return;
    const next = advance(state, pages.length, Math.max(1, ...partCounts.values()));
    const pageChanged = next.page !== state.page;
    state = next;
    if (pageChanged) showPage(true);
    else showParts();
  }

  // The space changed (window, banner): plan again before this frame is painted.
  const resize = new ResizeObserver(() => {
    if (frame !== 0) cancelAnimationFrame(frame);
    relayout();
  });
  resize.observe(main);
  const timer = setInterval(tick, pageMs);
  invalidate();

  return {
    invalidate,
    check() {
      for (const [card, count] of partCounts) {
        if (!card.needsRefit()) continue;
        const parts = card.fit();
        if (parts !== count) partCounts.set(card, parts);
        card.showPart(partAt(state.tick, parts));
        card.markShown();
      }
    },
    stop() {
      clearInterval(timer);
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}

interface Grid {
  readonly cols: number;
  readonly rows: number;
  readonly columnWidth: number;
  readonly rowHeight: number;
  readonly gap: number;
  readonly rem: number;
}

function measureGrid(main: HTMLElement): Grid {
  const style = getComputedStyle(main);
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const gap = parseFloat(style.columnGap) || rem;
  const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = main.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const cols = Math.min(MAX_COLUMNS, Math.max(1, Math.floor((width + gap) / (COLUMN_MIN_REM * rem + gap))));
  const rowHeight = ROW_REM * rem;
  const rows = Math.max(1, Math.floor((height + gap) / (rowHeight + gap)));
  return { cols, rows, columnWidth: (width - (cols - 1) * gap) / cols, rowHeight, gap, rem };
}

/**
 * Every card's natural size at the column width, measured in one pass with
 * the grid switched off (`.measuring`: cards stacked, invisible, height
 * auto) — in the same task, so nothing of it is ever painted. A card wider
 * than a column (a table with many columns) is measured again two columns
 * wide. Images ask for their aspect ratio's height.
 */
function measureNeeds(main: HTMLElement, cards: readonly PublicationCard[], grid: Grid): CardNeed[] {
  const toRows = (px: number) => Math.ceil((px + grid.gap) / (grid.rowHeight + grid.gap));
  const widthOf = (cols: number) => cols * grid.columnWidth + (cols - 1) * grid.gap;
  main.classList.add("measuring");
  const cols = new Map<PublicationCard, number>();
  for (const card of cards) {
    card.unfit();
    // One column each; an image grows into free cells beside it (grid-plan.ts) when the page has room.
    cols.set(card, 1);
    card.element.style.width = `${widthOf(1)}px`;
  }
  const tooWide = cards.filter((card) => card.content.dataset.media !== "image" && card.content.scrollWidth > card.content.clientWidth + 1);
  for (const card of tooWide) {
    if (grid.cols < 2) continue;
    cols.set(card, 2);
    card.element.style.width = `${widthOf(2)}px`;
  }
  const needs = cards.map((card): CardNeed => {
    const w = cols.get(card)!;
    const total = card.element.offsetHeight;
    const body = card.content.offsetHeight;
    const chrome = total - body;
    const lines = MIN_BODY_LINES * LINE_HEIGHT * grid.rem;
    if (card.content.dataset.media === "image") {
      const aspect = card.imageAspect() ?? FALLBACK_ASPECT;
      const natural = chrome + widthOf(w) / aspect;
      const rows = toRows(natural);
      // An image scales: it may give up to half its height to share a page.
      return { id: card.element.dataset.publicationId ?? "", cols: w, rows, minRows: Math.max(toRows(chrome + lines), Math.ceil(rows / 2)) };
    }
    const rows = toRows(total);
    const minRows = Math.max(toRows(chrome + Math.min(body, lines)), Math.ceil(rows / SHRINK_PARTS));
    const chromeRows = Math.floor(chrome / (grid.rowHeight + grid.gap));
    return { id: card.element.dataset.publicationId ?? "", cols: w, minCols: 1, rows, minRows, chromeRows };
  });

  for (const card of cards) card.element.style.width = "";
  main.classList.remove("measuring");
  return needs;
}
