/**
 * A card's content split into parts that fit its box, measured in the real
 * layout, never guessed. The content is marked up by its renderer
 * (json-view-dom.ts, notice-text.ts): `data-block` units are never split,
 * `data-group` holders show only while one of their blocks does,
 * `data-noun`/`data-more` say what a group left out, `data-soft` blocks
 * are poor places for a break (words inside a sentence), `data-col` cells
 * of a `data-fit-table` may be left out when the table is wider than the
 * card. What is left out is said in one line (`.fit-summary`): "+ 9,940
 * more zones", "Not shown here: Area, CO₂", "+ 7 more columns (Floor, …)".
 * Nothing scrolls, nothing is cut mid-line.
 */
export interface ContentParts {
  /** How many parts (1 when everything fits). */
  readonly count: number;
  /**
   * Pixels by which the tallest part is still taller than the box (0 when
   * every part fits). A part holds at least one block, so a box smaller than
   * the smallest part cannot be helped here: the screen plan must give the
   * card more room (screen-layout.ts does, from this number).
   */
  readonly overflowPx: number;
  /** Shows part `index` (0-based, wraps). */
  show(index: number): void;
}

/** No card is paged into more parts than this; the rest is summarised. */
export const MAX_PARTS = 4;

const SUMMARY = "fit-summary";

/** Shows every block, column and group, and no summary: the content at its natural size (for measuring). */
export function showAll(content: HTMLElement): void {
  for (const element of content.querySelectorAll<HTMLElement>("[data-block][hidden], [data-group][hidden], [data-col][hidden]")) {
    element.hidden = false;
  }
  for (const table of content.querySelectorAll<HTMLElement>("[data-fit-table].squeeze")) table.classList.remove("squeeze");
  const summary = content.querySelector<HTMLElement>(`:scope > .${SUMMARY}`);
  if (summary) summary.hidden = true;
}

/**
 * Whether `content` fits its box whole (its columns fitted first), as the
 * first step of {@link splitIntoParts} finds: one layout, where a split
 * costs several. Leaves the content shown whole.
 */
export function fitsWhole(content: HTMLElement): boolean {
  showAll(content);
  fitColumns(content);
  return fits(content);
}

/** Splits `content` into parts that fit its current box and shows the first. */
export function splitIntoParts(content: HTMLElement, maxParts = MAX_PARTS): ContentParts {
  showAll(content);
  const summary = summaryOf(content);
  const columnsNote = columnsNoteFor(fitColumns(content));
  const blocks = [...content.querySelectorAll<HTMLElement>("[data-block]")];
  const groups = [...content.querySelectorAll<HTMLElement>("[data-group]")].filter((g) => g.querySelector("[data-block]"));
  const unbuilt = [...content.querySelectorAll<HTMLElement>("[data-more]")];

  // Only what changes is touched: the pager tries many splits, each a layout.
  const show = (start: number, end: number, note: string) => {
    blocks.forEach((block, i) => setHidden(block, i < start || i >= end));
    for (const group of groups) setHidden(group, !group.querySelector("[data-block]:not([hidden])"));
    if (summary.textContent !== note) summary.textContent = note;
    setHidden(summary, note === "");
  };
  const noteFor = (end: number, last: boolean) =>
    [columnsNote, last ? leftOut(blocks.slice(end), unbuilt) : ""].filter((s) => s !== "").join(" · ");

  const parts: Array<{ start: number; end: number; note: string }> = [];
  let overflowPx = 0;
  let start = 0;
  while (parts.length === 0 || start < blocks.length) {
    const lastAllowed = parts.length === maxParts - 1;
    show(start, blocks.length, noteFor(blocks.length, true));
    if (start === 0 && fits(content)) {
      parts.push({ start, end: blocks.length, note: noteFor(blocks.length, true) });
      break;
    }
    let end = firstOverflowing(content, blocks, start);
    end = preferBreak(blocks, start, end);
    // Left out after this part: said on it when it is the last one.
    let last = lastAllowed || end >= blocks.length;
    let note = noteFor(end, last);
    show(start, end, note);
    while (!fits(content) && end > start + 1) {
      end--;
      last = lastAllowed || end >= blocks.length;
      note = noteFor(end, last);
      show(start, end, note);
    }
    parts.push({ start, end, note });
    overflowPx = Math.max(overflowPx, overflowOf(content));
    if (last) break;
    start = end;
  }

  const showPart = (index: number) => {
    const part = parts[((index % parts.length) + parts.length) % parts.length]!;
    show(part.start, part.end, part.note);
  };
  showPart(0);
  return { count: parts.length, overflowPx, show: showPart };
}

/** What the smallest part of a content would hold: its tallest block, and the summary the last part would carry. */
export interface SmallestPart {
  readonly block: HTMLElement;
  readonly note: string;
}

/**
 * Reads (layout reads only, so a caller can batch many contents into one
 * layout) the smallest part a content shown in full at its current width
 * could be split into: its tallest block alone, under the headings and
 * table heads it sits in, with the longest summary the pager could write
 * beside it (every other block counted; for a table wider than the box,
 * every column it may leave out named). Undefined when nothing can be split.
 */
export function smallestPartOf(content: HTMLElement): SmallestPart | undefined {
  const blocks = [...content.querySelectorAll<HTMLElement>("[data-block]")];
  let tallest: HTMLElement | undefined;
  let tallestHeight = -1;
  for (const block of blocks) {
    const height = block.getBoundingClientRect().height;
    if (height > tallestHeight) [tallest, tallestHeight] = [block, height];
  }
  if (!tallest) return undefined;
  const width = content.clientWidth;
  const columns = [...content.querySelectorAll<HTMLTableElement>("[data-fit-table]")]
    .filter((table) => table.getBoundingClientRect().width > width + 0.5)
    // The pager keeps the row header and one column.
    .flatMap((table) => [...(table.tHead?.rows[0]?.cells ?? [])].slice(2).map((cell) => cell.textContent ?? ""));
  const others = blocks.filter((block) => block !== tallest);
  const note = [columnsNoteFor(columns), leftOut(others, [...content.querySelectorAll<HTMLElement>("[data-more]")])].filter((s) => s !== "").join(" · ");
  return { block: tallest, note };
}

/** Shows only `part` (layout writes only); {@link showAll} undoes it. */
export function showSmallestPart(content: HTMLElement, part: SmallestPart): void {
  for (const block of content.querySelectorAll<HTMLElement>("[data-block]")) setHidden(block, block !== part.block);
  for (const group of content.querySelectorAll<HTMLElement>("[data-group]")) {
    if (group.querySelector("[data-block]")) setHidden(group, !group.contains(part.block));
  }
  const summary = summaryOf(content);
  summary.textContent = part.note;
  summary.hidden = part.note === "";
}

/** Short, since it is on every part: two names at most, else a count. */
function columnsNoteFor(hidden: readonly string[]): string {
  if (hidden.length === 0) return "";
  return hidden.length <= 2 ? `Not shown here: ${hidden.join(", ")}` : `+ ${hidden.length} more columns (${hidden[0]}, …)`;
}

function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) element.hidden = hidden;
}

function overflowOf(content: HTMLElement): number {
  return Math.max(0, content.scrollHeight - content.clientHeight - 1);
}

function summaryOf(content: HTMLElement): HTMLElement {
  let summary = content.querySelector<HTMLElement>(`:scope > .${SUMMARY}`);
  if (!summary) {
    summary = document.createElement("p");
    summary.className = SUMMARY;
    summary.hidden = true;
    content.append(summary);
  }
  return summary;
}

function fits(content: HTMLElement): boolean {
  return content.scrollHeight <= content.clientHeight + 1 && content.scrollWidth <= content.clientWidth + 1;
}

/** Index of the first block (from `start`) whose bottom is below the content box; at least `start + 1`. */
function firstOverflowing(content: HTMLElement, blocks: readonly HTMLElement[], start: number): number {
  const box = content.getBoundingClientRect();
  const limit = box.top + content.clientTop + content.clientHeight;
  let end = start;
  while (end < blocks.length && blocks[end]!.getBoundingClientRect().bottom <= limit + 0.5) end++;
  return Math.max(end, start + 1);
}

/** Backs up from a break inside a sentence to the last sentence end in the part's second half. */
function preferBreak(blocks: readonly HTMLElement[], start: number, end: number): number {
  if (end >= blocks.length || !("soft" in blocks[end - 1]!.dataset)) return end;
  const floor = start + Math.ceil((end - start) / 2);
  for (let i = end - 1; i >= floor; i--) if (!("soft" in blocks[i]!.dataset)) return i + 1;
  return end;
}

/** "+ 9,940 more zones · + 12 more words", counting blocks not shown and entries never built. */
function leftOut(hidden: readonly HTMLElement[], unbuilt: readonly HTMLElement[]): string {
  const counts = new Map<string, number>();
  const add = (noun: string, n: number) => counts.set(noun, (counts.get(noun) ?? 0) + n);
  for (const block of hidden) add(block.parentElement?.closest<HTMLElement>("[data-noun]")?.dataset.noun ?? "items", 1);
  for (const group of unbuilt) add(group.dataset.noun ?? "items", Number(group.dataset.more) || 0);
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([noun, n]) => `+ ${n.toLocaleString("en")} more ${n === 1 ? noun.replace(/s$/, "") : noun}`)
    .join(" · ");
}

/**
 * Leaves out the last columns of each table wider than the content box
 * (keeping the row header and one column); returns their names. A table that
 * is still too wide is squeezed (fixed layout, words broken anywhere).
 */
function fitColumns(content: HTMLElement): string[] {
  const hidden: string[] = [];
  const width = content.clientWidth;
  for (const table of content.querySelectorAll<HTMLTableElement>("[data-fit-table]")) {
    const headers = [...table.tHead?.rows[0]?.cells ?? []];
    let visible = headers.length;
    const hideFrom = (first: number) => {
      for (let column = visible - 1; column >= first; column--) {
        for (const cell of table.querySelectorAll<HTMLElement>(`[data-col="${column}"]`)) cell.hidden = true;
        const name = headers[column]?.textContent;
        if (name) hidden.unshift(name);
      }
      visible = first;
    };
    // Every width read after hiding a column lays the whole table out again
    // (tens of ms for a long one): guess from one read of the header cells
    // how many columns fit, hide the others at once, then correct by one.
    const tableWidth = table.getBoundingClientRect().width;
    if (tableWidth > width + 0.5 && visible > 2) {
      const widths = headers.map((cell) => cell.getBoundingClientRect().width);
      let estimate = tableWidth;
      let keep = visible;
      while (keep > 2 && estimate > width + 0.5) estimate -= widths[--keep] ?? 0;
      hideFrom(keep);
      while (visible > 2 && table.getBoundingClientRect().width > width + 0.5) hideFrom(visible - 1);
    }
    if (table.getBoundingClientRect().width > width + 0.5) table.classList.add("squeeze");
  }
  return hidden;
}
