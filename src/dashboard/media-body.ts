import type { Publication } from "../entries/index.js";
import { formatBytes } from "./byte-size.js";
import type { ParsedJson } from "./json/json-body.js";
import { renderJsonView } from "./json/json-view-dom.js";
import { noticeText } from "./notice-text.js";

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
 * text is kept hidden next to the structured view. `json` is the body parsed
 * (json/json-parser.ts), for JSON media types; a body that is not JSON is
 * shown as text. Returns a cleanup that releases the image's object URL.
 */
export function renderBody(container: HTMLElement, publication: Publication, title: string, json?: ParsedJson): () => void {
  const kind = mediaKindOf(publication.mediaType);
  container.dataset.media = kind;
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
    note.textContent = `${formatBytes(publication.body.byteLength)} of ${publication.mediaType} (not shown)`;
    container.replaceChildren(note);
    return () => {};
  }
  const text = new TextDecoder().decode(publication.body);
  const view = kind === "json" ? json?.view : undefined;
  if (view === undefined) {
    container.replaceChildren(noticeText(text));
  } else {
    // Hidden (never laid out), so even a 4 MB document costs one text node.
    const raw = document.createElement("pre");
    raw.className = "body";
    raw.textContent = text;
    raw.hidden = true;
    const structured = renderJsonView(view);
    structured.classList.add("json-body");
    container.replaceChildren(structured, raw);
  }
  return () => {};
}
