import type { Page } from "@playwright/test";

/** What the in-page checker has found since it was (re)started. */
export interface FitStatus {
  /** Checks run (one after each paint that follows a change, and at least one a second; each over every card on screen). */
  readonly checks: number;
  /** Current screen page and page count (`main[data-page]`, `main[data-pages]`). */
  readonly page: number;
  readonly pages: number;
  /** Times the screen page changed. */
  readonly turns: number;
  /** When (`Date.now()`) it last changed, up to 20 times: a screenshot taken between two turns shows one page. */
  readonly turnTimes: readonly number[];
  /** The indicator's text ("Page 2 of 3"), empty when hidden. */
  readonly indicator: string;
  /** `id:part/parts` of every card part seen on screen with its current version. */
  readonly seen: readonly string[];
  /** Cards whose every part has been seen. */
  readonly cardsComplete: readonly string[];
  /** Problems found, each once: overflow, clipping, overlap, small type, page scrolling. */
  readonly violations: readonly string[];
  /** Smallest font size of any text on a card, in px. */
  readonly smallestFontPx: number;
  /** Milliseconds since the checker started. */
  readonly elapsedMs: number;
}

/**
 * Installs (or restarts) a checker in the page that measures every card on
 * screen with the browser's own numbers after every paint that follows a
 * change to the page (a MutationObserver, then the next animation frame,
 * then a task: what the viewer saw, never a state the layout replaces
 * before painting), and at least once a second — so every part and page the
 * calm timer shows is checked, however late the timers run:
 * - every element inside a card: `scrollHeight`/`scrollWidth` within
 *   `clientHeight`/`clientWidth` (nothing scrolls or is clipped), and its
 *   bounding box inside the card's;
 * - no two cards overlap; every card lies inside `main`, `main` below the
 *   header (and the banner) and above the footer, all inside the viewport;
 * - the document itself does not scroll, and header, banner and footer do not overflow;
 * - text on cards is at least `minFontPx`.
 * It records which card parts it saw (from `.card-part`'s `data-part`), so a
 * test can wait until paging has shown everything. Visually hidden text
 * (`.visually-hidden`, for screen readers) is not on screen and is skipped.
 */
export async function startFitChecker(page: Page, minFontPx: number): Promise<void> {
  await page.evaluate((minFont) => {
    const w = window as unknown as { fitChecker?: { stop(): void }; fitStatus?: () => unknown };
    w.fitChecker?.stop();
    const started = performance.now();
    const seen = new Set<string>();
    const partsOf = new Map<string, number>();
    // Each problem once, with how many checks saw it (1: a single frame; more: it stayed).
    const violations = new Map<string, number>();
    const add = (problem: string) => violations.set(problem, (violations.get(problem) ?? 0) + 1);
    let checks = 0;
    let smallest = Number.POSITIVE_INFINITY;
    const fontChecked = new WeakSet<Element>();
    const slack = 1;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
    const inside = (inner: DOMRect, outer: DOMRect) =>
      inner.left >= outer.left - slack && inner.top >= outer.top - slack && inner.right <= outer.right + slack && inner.bottom <= outer.bottom + slack;
    const overflowOf = (el: Element) => {
      if (el.clientHeight === 0 && el.clientWidth === 0) return "";
      if (el.scrollHeight > el.clientHeight + slack) return `scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight}`;
      if (el.scrollWidth > el.clientWidth + slack) return `scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`;
      return "";
    };
    const check = () => {
      checks++;
      const main = document.querySelector<HTMLElement>("main.cards")!;
      const mainBox = main.getBoundingClientRect();
      const viewport = new DOMRect(0, 0, innerWidth, innerHeight);
      const header = document.querySelector("header.top")!.getBoundingClientRect();
      const footer = document.querySelector("footer.bottom")!.getBoundingClientRect();
      const banner = document.querySelector<HTMLElement>(".banner")!;
      const above = banner.hidden ? header.bottom : banner.getBoundingClientRect().bottom;
      if (mainBox.top < above - slack) add(`main (top ${mainBox.top}) overlaps the header or banner (bottom ${above})`);
      if (mainBox.bottom > footer.top + slack) add(`main (bottom ${mainBox.bottom}) overlaps the footer (top ${footer.top})`);
      if (!inside(footer, viewport)) add("the footer is outside the viewport");
      const root = document.documentElement;
      if (root.scrollHeight > innerHeight + slack || root.scrollWidth > innerWidth + slack) add(`the page scrolls: ${root.scrollWidth}×${root.scrollHeight}`);
      for (const frame of [document.querySelector("header.top")!, banner, document.querySelector("footer.bottom")!]) {
        const problem = overflowOf(frame);
        if (problem) add(`${describe(frame)}: ${problem}`);
      }
      const cards = [...main.querySelectorAll<HTMLElement>(":scope > .card")].filter((card) => card.getClientRects().length > 0);
      const boxes = cards.map((card) => card.getBoundingClientRect());
      cards.forEach((card, i) => {
        const id = card.dataset.publicationId ?? "?";
        const box = boxes[i]!;
        if (!inside(box, mainBox) || !inside(box, viewport)) add(`${id}: card outside main or the viewport`);
        for (let j = i + 1; j < cards.length; j++) {
          const other = boxes[j]!;
          const x = Math.min(box.right, other.right) - Math.max(box.left, other.left);
          const y = Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top);
          if (x > slack && y > slack) add(`${id} overlaps ${cards[j]!.dataset.publicationId}`);
        }
        for (const el of [card, ...card.querySelectorAll("*")]) {
          if (el.closest(".visually-hidden") || el.getClientRects().length === 0) continue;
          const problem = overflowOf(el);
          if (problem) add(`${id} ${describe(el)}: ${problem}`);
          if (el !== card && !inside(el.getBoundingClientRect(), box)) add(`${id} ${describe(el)}: outside its card`);
          // A font size cannot change within one run (one viewport): each text is looked at once.
          const hasText = [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== "");
          if (hasText && !fontChecked.has(el)) {
            fontChecked.add(el);
            const size = parseFloat(getComputedStyle(el).fontSize);
            smallest = Math.min(smallest, size);
            if (size < minFont - 0.01) add(`${id} ${describe(el)}: font ${size} px < ${minFont} px`);
          }
        }
        // Seen: on screen, showing the version it has.
        if (card.dataset.shownVersion !== card.dataset.version || card.dataset.version === "") return;
        const part = card.querySelector<HTMLElement>(".card-part");
        const parts = part && !part.hidden ? Number(part.dataset.parts) : 1;
        const index = part && !part.hidden ? Number(part.dataset.part) : 1;
        partsOf.set(id, parts);
        seen.add(`${id}:${index}/${parts}`);
      });
    };
    let turns = 0;
    const turnTimes: number[] = [];
    let frameRequested = false;
    const channel = new MessageChannel();
    // A check that throws is a finding, not a check silently skipped.
    channel.port1.onmessage = () => {
      try {
        check();
      } catch (error) {
        add(`the checker failed: ${String(error)}`);
      }
    };
    const schedule = () => {
      if (frameRequested) return;
      frameRequested = true;
      requestAnimationFrame(() => {
        frameRequested = false;
        channel.port2.postMessage(0);
      });
    };
    const mainElement = document.querySelector("main.cards")!;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.target === mainElement && record.attributeName === "data-page" && record.oldValue !== mainElement.getAttribute("data-page")) {
          turns++;
          turnTimes.push(Date.now());
          if (turnTimes.length > 20) turnTimes.shift();
        }
      }
      schedule();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true });
    const timer = setInterval(schedule, 1_000);
    schedule();
    w.fitChecker = {
      stop: () => {
        clearInterval(timer);
        observer.disconnect();
        channel.port1.close();
      },
    };
    w.fitStatus = () => {
      const main = document.querySelector<HTMLElement>("main.cards")!;
      const indicator = document.querySelector<HTMLElement>(".pager")!;
      const complete = [...partsOf].filter(([id, parts]) => Array.from({ length: parts }, (_, k) => `${id}:${k + 1}/${parts}`).every((key) => seen.has(key)));
      return {
        checks,
        page: Number(main.dataset.page),
        pages: Number(main.dataset.pages),
        turns,
        turnTimes: [...turnTimes],
        indicator: indicator.hidden ? "" : indicator.textContent,
        seen: [...seen],
        cardsComplete: complete.map(([id]) => id),
        violations: [...violations].slice(0, 40).map(([problem, times]) => `${problem} (in ${times} of ${checks} checks; ${main.dataset.grid}: ${main.dataset.needs})`),
        smallestFontPx: smallest,
        elapsedMs: performance.now() - started,
      };
    };
  }, minFontPx);
}

export function fitStatus(page: Page): Promise<FitStatus> {
  return page.evaluate(() => (window as unknown as { fitStatus: () => FitStatus }).fitStatus());
}

/**
 * Resolves, in the frame after it appears, with the first screen page not in
 * `pages` (at once when the current one is not), or after `timeoutMs` with
 * the current one, and when (`Date.now()`) it was seen there: so a
 * screenshot of a page that stays one tick starts as soon as that page is on
 * screen, and is known to show it when no turn followed before it was taken.
 */
export function pageOtherThan(page: Page, pages: readonly number[], timeoutMs: number): Promise<{ page: number; at: number }> {
  return page.evaluate(
    ({ pages, timeoutMs }) =>
      new Promise<{ page: number; at: number }>((resolve) => {
        const main = document.querySelector<HTMLElement>("main.cards")!;
        const started = performance.now();
        const look = () => {
          const current = Number(main.dataset.page);
          if (!pages.includes(current) || performance.now() - started > timeoutMs) resolve({ page: current, at: Date.now() });
          else requestAnimationFrame(look);
        };
        look();
      }),
    { pages, timeoutMs },
  );
}
