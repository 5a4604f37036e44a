import type { PublicationCard } from "../publication-card.js";
import { planPages, type Placement } from "./grid-plan.js";
import { createCardMeasurer, measureGrid, type Grid, type Measurement } from "./measure-cards.js";
import { createRoomFloors } from "./room-floors.js";
import { advance, partAt, START, type RotationState } from "./rotation.js";

/** Default time each screen page (and each part of a long card) stays: calm on a wall. */
export const DEFAULT_PAGE_MS = 20_000;
/** Plans tried for one page before giving up on a card that cannot fit the screen at all. */
const MAX_REPLANS = 8;

export interface ScreenLayout {
  /** Something changed the cards' sizes (a body, a note): plan again before the next frame. */
  invalidate(): void;
  /**
   * Fits again, at once, the cards on screen whose body or box changed (called after every
   * change the page makes: a body, a note, the texts re-worded each second), so no frame
   * shows a body that does not fit. A box that changed size (a note line, a publish time
   * that now takes two lines, the banner) plans again at once. While a frame asked for by
   * {@link invalidate} is due (a new body), it does nothing: that frame measures, plans and
   * fits every card before it is painted.
   */
  check(): void;
  /**
   * Shows these cards from now on, in this order (a screen's configuration changed what it
   * shows): planned again before the next frame, from the first page.
   */
  setCards(cards: readonly PublicationCard[]): void;
  /** New timings or column limit (a screen's configuration changed): the timer restarts with them. */
  configure(settings: ScreenLayoutSettings): void;
  /** Stops the timer and the observers. */
  stop(): void;
}

/** What a screen's configuration may change while the layout runs. */
export interface ScreenLayoutSettings {
  /** How long each page stays. Default {@link DEFAULT_PAGE_MS}. */
  readonly pageMs?: number;
  /** How long each part of a long card stays. Default: `pageMs`. */
  readonly partMs?: number;
  /** At most this many columns; default as many as fit (up to four). */
  readonly columns?: number;
}

export interface ScreenLayoutOptions extends ScreenLayoutSettings {
  /** The `main` the cards are in. */
  readonly main: HTMLElement;
  /** The cards, in the order the URL names them. */
  readonly cards: readonly PublicationCard[];
  /** Where "Page 2 of 3" is shown. */
  readonly indicator: HTMLElement;
}

/**
 * Fits the cards to the screen: measures the space (ResizeObserver: the
 * window, the offline banner), each card's natural and smallest size at the
 * column width (measure-cards.ts), plans pages (grid-plan.ts), places the
 * current page's cards on a CSS grid and splits each card's body into parts
 * that fit its box (content-pages.ts). A card whose smallest part still does
 * not fit its box (measuring missed something) is given the rows it lacked
 * and the page planned again, in the same task (room-floors.ts). A calm
 * timer shows the next part of long cards, then the next page (rotation.ts);
 * a card whose chrome is no longer the height measured (its texts changed
 * while it was off screen: a publish time's "1 minute ago") has everything
 * measured and planned again before the page is painted. `main` says where it is
 * (`data-page`, `data-pages`) and the indicator reads "Page 2 of 3". Pages
 * fade in unless the viewer prefers reduced motion. Fonts that load late
 * plan again. A page whose cards all fit whole stays `pageMs`; a page with a
 * long card shows each part for `partMs` and moves on once its longest card
 * has shown every part. The cards and these settings may change while it
 * runs (`setCards`, `configure`).
 */
export function startScreenLayout(options: ScreenLayoutOptions): ScreenLayout {
  const { main, indicator } = options;
  let cards = options.cards;
  let settings: ScreenLayoutSettings = options;
  let byId = idsOf(cards);
  const floors = createRoomFloors();
  const measurer = createCardMeasurer();
  let grid: Grid | undefined;
  let measured: Measurement = { needs: [], chrome: new Map() };
  let pages: Placement[][] = [];
  let state: RotationState = START;
  let partCounts = new Map<PublicationCard, number>();
  let frame = 0;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

  function invalidate() {
    if (frame === 0) frame = requestAnimationFrame(() => relayout());
  }

  function relayout(animate = false) {
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = 0;
    grid = measureGrid(main, settings.columns);
    measured = measurer.measure(main, cards, grid);
    const needs = measured.needs;
    floors.keepFor(grid, needs);
    // For diagnostics and tests: what each card asked for, "id cols×rows (min)".
    main.dataset.needs = needs.map((n) => `${n.id} ${n.cols}×${n.rows} (${n.minRows})`).join(", ");
    main.dataset.grid = `${grid.cols}×${grid.rows}`;
    main.style.setProperty("--cols", String(grid.cols));
    main.style.setProperty("--rows", String(grid.rows));
    plan(grid);
    showPage(grid, animate);
  }

  function plan(on: Grid) {
    pages = planPages(floors.apply(measured.needs), on);
    state = { page: Math.min(state.page, Math.max(0, pages.length - 1)), tick: state.tick };
  }

  function showPage(on: Grid, animate: boolean) {
    for (let replans = 0; ; replans++) {
      const overflowing = placeAndFit();
      if (overflowing.length === 0 || replans >= MAX_REPLANS || !floors.raise(overflowing, on)) break;
      plan(on);
    }
    showParts();
    main.dataset.page = String(state.page + 1);
    main.dataset.pages = String(pages.length);
    indicator.hidden = pages.length <= 1;
    indicator.textContent = `Page ${state.page + 1} of ${pages.length}`;
    if (animate && !reducedMotion.matches) main.animate([{ opacity: 0.25 }, { opacity: 1 }], { duration: 500, easing: "ease-out" });
  }

  /** Places the current page's cards and fits their bodies; returns those whose smallest part still does not fit. */
  function placeAndFit(): Array<{ placement: Placement; overflowPx: number }> {
    const placements = pages[state.page] ?? [];
    const onPage = new Map<PublicationCard, Placement>();
    for (const placement of placements) {
      const card = byId.get(placement.id);
      if (!card) continue;
      onPage.set(card, placement);
      card.element.style.gridColumn = `${placement.col + 1} / span ${placement.cols}`;
      card.element.style.gridRow = `${placement.row + 1} / span ${placement.rows}`;
      card.element.classList.remove("off-page");
    }
    for (const card of cards) if (!onPage.has(card)) card.element.classList.add("off-page");
    partCounts = new Map();
    const overflowing: Array<{ placement: Placement; overflowPx: number }> = [];
    for (const [card, placement] of onPage) {
      const fit = card.fit();
      partCounts.set(card, fit.parts);
      if (fit.overflowPx > 0) overflowing.push({ placement, overflowPx: fit.overflowPx });
    }
    return overflowing;
  }

  function showParts() {
    for (const [card, count] of partCounts) {
      card.showPart(partAt(state.tick, count));
      card.markShown();
    }
  }

  /**
   * Whether a card on screen, at the width it was measured at, has taller chrome than measured:
   * its texts (a publish time's "1 minute ago", a note) changed while it was off screen, so the
   * plan's sizes are stale. (Shorter chrome only leaves room; at another width, the floors learnt
   * from the real layout cover what measuring missed.)
   */
  function chromeGrew(): boolean {
    const colsOf = new Map(measured.needs.map((need) => [need.id, need.cols]));
    for (const placement of pages[state.page] ?? []) {
      const card = byId.get(placement.id);
      const expected = card && measured.chrome.get(card);
      if (!card || !expected || colsOf.get(placement.id) !== placement.cols) continue;
      const chrome = card.element.getBoundingClientRect().height - card.content.getBoundingClientRect().height;
      if (chrome > ((partCounts.get(card) ?? 1) > 1 ? expected.paged : expected.plain) + 1) return true;
    }
    return false;
  }

  // One timeout at a time, its length chosen at each tick: parts of long cards may page faster than pages.
  let timer: ReturnType<typeof setTimeout> | undefined;
  function schedule() {
    clearTimeout(timer);
    const pageMs = settings.pageMs ?? DEFAULT_PAGE_MS;
    // For diagnostics and tests: the timings in force.
    main.dataset.pageMs = String(pageMs);
    main.dataset.partMs = String(settings.partMs ?? pageMs);
    const paged = Math.max(1, ...partCounts.values()) > 1;
    timer = setTimeout(() => {
      tick();
      schedule();
    }, paged ? (settings.partMs ?? pageMs) : pageMs);
  }

  function tick() {
    if (pages.length === 0 || !grid) return;
    const next = advance(state, pages.length, Math.max(1, ...partCounts.values()));
    const pageChanged = next.page !== state.page;
    state = next;
    if (!pageChanged) showParts();
    else {
      showPage(grid, true);
      if (chromeGrew()) relayout();
    }
  }

  // The space changed (window, banner): plan again before this frame is painted.
  const resize = new ResizeObserver(() => relayout());
  resize.observe(main);
  const fontsLoaded = () => {
    measurer.forget();
    invalidate();
  };
  document.fonts.addEventListener("loadingdone", fontsLoaded);
  schedule();
  invalidate();

  return {
    invalidate,
    check() {
      // A frame that measures, plans and fits every card is due before the next paint
      // (invalidate): checking now would lay the page out once more inside the task that
      // delivered a value, and every tab of a screen would pay that on each update.
      if (frame !== 0) return;
      let stale = false;
      for (const [card, count] of partCounts) {
        const reason = card.refitReason();
        if (!reason) continue;
        const fit = card.fit();
        if (fit.parts !== count) partCounts.set(card, fit.parts);
        card.showPart(partAt(state.tick, fit.parts));
        card.markShown();
        // A box that changed size means its chrome or the space did: the plan's sizes are stale now, and this may be
        // a frame callback already (the screen is re-worded in one), so plan again at once.
        if (reason === "resized") stale = true;
      }
      if (stale) relayout();
    },
    setCards(next) {
      const leaving = cards.filter((card) => !next.includes(card));
      for (const card of leaving) card.element.classList.remove("off-page");
      cards = next;
      byId = idsOf(cards);
      state = START;
      pages = [];
      partCounts = new Map();
      invalidate();
      schedule();
    },
    configure(next) {
      const columnsChanged = next.columns !== settings.columns;
      settings = next;
      if (columnsChanged) invalidate();
      schedule();
    },
    stop() {
      clearTimeout(timer);
      resize.disconnect();
      document.fonts.removeEventListener("loadingdone", fontsLoaded);
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}

function idsOf(cards: readonly PublicationCard[]): Map<string, PublicationCard> {
  return new Map(cards.map((card) => [card.element.dataset.publicationId ?? "", card]));
}
