import type { Publication } from "../entries/index.js";
import { parseJsonView, viewLines } from "./json-view.js";
import { renderJsonView } from "./json-view-dom.js";

/** A JSON document longer than this many lines gets a tall card (two grid rows on wide screens). */
const TALL_LINES = 18;

/** What kind of view a media type gets. */
export type MediaKind = "json" | "text" | "image" | "other";

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const TEXT_TYPE = /^(text\/|application\/([\w.+-]+\+)?xml\b)/i;
// Raster and SVG images render through <img>, where SVG scripts never run.
const IMAGE_TYPE = /^image\/(png|jpeg|gif|webp|avif|svg\+xml)\b/i;

export function mediaKindOf(mediaType: string): MediaKind {
  if (JSON_TYPE.test(mediaType)) return "json";
  if (TEXT_TYPE.test(mediaType) || mediaType === "") return "text";
  if (IMAGE_TYPE.test(mediaType)) return "image";
  return "other";
}

/**
 * Shows one publication body in `container`, by media type. Exactly one
 * element in it has class `body`, and for text and JSON its text is the body
 * itself (the page contract the end-to-end tests read); for JSON that raw
 * text is kept hidden next to the structured view.
 * Returns a cleanup that releases the image's object URL.
 */
export function renderBody(container: HTMLElement, publication: Publication, title: string): () => void {
  const kind = mediaKindOf(publication.mediaType);
  container.dataset.media = kind;
  container.dataset.size = kind === "image" ? "tall" : "";
  if (kind === "image") {
    const url = URL.createObjectURL(new Blob([publication.body as Uint8Array<ArrayBuffer>], { type: publication.mediaType }));
    const figure = document.createElement("figure");
    figure.className = "body image-body";
    const img = document.createElement("img");
    img.src = url;
    img.alt = title;
    img.decoding = "async";
    figure.append(img);
    container.replaceChildren(figure);
    return () => URL.revokeObjectURL(url);
  }
  if (kind === "other") {
    const note = document.createElement("p");
    note.className = "body other-body";
    note.textContent = `${publication.body.byteLength.toLocaleString()} bytes of ${publication.mediaType} (not shown)`;
    container.replaceChildren(note);
    return () => {};
  }
  const text = new TextDecoder().decode(publication.body);
  const view = kind === "json" ? parseJsonView(text) : undefined;
  if (view === undefined) {
    container.replaceChildren(noticeText(text));
  } else {
    const raw = document.createElement("pre");
    raw.className = "body";
    raw.textContent = text;
    raw.hidden = true;
    const structured = renderJsonView(view);
    structured.classList.add("json-body");
    if (viewLines(view) > TALL_LINES) container.dataset.size = "tall";
    container.replaceChildren(structured, raw);
  }
  return () => {};
}

/**
 * Plain text as a notice: one paragraph per blank-line-separated block, lines
 * inside a block reflowed to the card's width (notices are hard-wrapped for
 * e-mail, not for a wall). The separators stay as text nodes, so the
 * element's text is exactly the body.
 */
function noticeText(text: string): HTMLElement {
  const body = document.createElement("div");
  body.className = "body text-body";
  const parts = text.split(/(\n[ \t]*\n\s*)/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      body.append(part);
      return;
    }
    const paragraph = document.createElement("p");
    paragraph.textContent = part;
    body.append(paragraph);
  });
  return body;
}
