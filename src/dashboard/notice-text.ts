/** Words marked up for the pager; the rest of a longer text is kept, hidden, for the page contract. */
export const MAX_NOTICE_WORDS = 1_500;

/**
 * Plain text as a notice: one paragraph per blank-line-separated block,
 * lines inside a block reflowed to the card's width (notices are
 * hard-wrapped for e-mail, not for a wall). Each word is a block for the
 * card's pager (content-pages.ts), so a notice longer than its card is
 * split between lines, never clipped; words inside a sentence are marked
 * `data-soft`, so the pager prefers to break after a sentence. Separators
 * stay as text nodes and the words past {@link MAX_NOTICE_WORDS} as one
 * hidden node, so the element's text is exactly the body.
 */
export function noticeText(text: string): HTMLElement {
  const body = document.createElement("div");
  body.className = "body text-body";
  body.dataset.group = "";
  body.dataset.noun = "words";
  const newParagraph = () => {
    const p = document.createElement("p");
    p.dataset.group = "";
    return p;
  };
  let paragraph = newParagraph();
  let lastWord: HTMLElement | undefined;
  let words = 0;
  let pos = 0;
  const wordPattern = /\S+/g;
  let match: RegExpExecArray | null;
  while (words < MAX_NOTICE_WORDS && (match = wordPattern.exec(text)) !== null) {
    const gap = text.slice(pos, match.index);
    if (lastWord && /\n[ \t]*\n/.test(gap)) {
      // A paragraph ends after its last word: a good place for a page break.
      delete lastWord.dataset.soft;
      body.append(paragraph, gap);
      paragraph = newParagraph();
    } else if (gap !== "") {
      paragraph.append(gap);
    }
    const word = document.createElement("span");
    word.textContent = match[0];
    word.dataset.block = "";
    if (!/[.!?:;]["'’”)\]]*$/.test(match[0])) word.dataset.soft = "";
    paragraph.append(word);
    lastWord = word;
    words++;
    pos = match.index + match[0].length;
  }
  if (lastWord) delete lastWord.dataset.soft;
  const rest = text.slice(pos);
  const more = words < MAX_NOTICE_WORDS ? 0 : (rest.match(/\S+/g)?.length ?? 0);
  if (more === 0) {
    paragraph.append(rest);
    body.append(paragraph);
  } else {
    body.append(paragraph);
    const hidden = document.createElement("span");
    hidden.hidden = true;
    hidden.textContent = rest;
    body.append(hidden);
    body.dataset.more = String(more);
  }
  return body;
}
