import type { PublicationUpdate } from "../client/publication-update.js";

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml)\b)/i;

/**
 * One publication on the page. The attributes are the contract the
 * end-to-end tests read: `data-publication-id`, `data-version` (empty when
 * there is no value) and `data-state`; `data-last-error` (a code, empty when
 * none) is extra diagnostics; the body is shown as text for text and
 * JSON media types.
 */
export function createPublicationView(id: string): { element: HTMLElement; render(update: PublicationUpdate): void } {
  const element = document.createElement("article");
  element.dataset.publicationId = id;
  element.dataset.version = "";
  element.dataset.state = "connecting";
  element.dataset.lastError = "";
  const heading = document.createElement("h2");
  heading.textContent = id;
  const meta = document.createElement("p");
  meta.className = "meta";
  const body = document.createElement("pre");
  body.className = "body";
  element.append(heading, meta, body);

  return {
    element,
    render(update) {
      const publication = update.value?.publication;
      element.dataset.version = publication?.version ?? "";
      element.dataset.state = update.state.kind;
      element.dataset.lastError = update.lastError?.code ?? "";
      meta.textContent = `${update.state.kind}${publication ? ` · version ${publication.version}` : " · no value yet"}`;
      if (!publication) body.textContent = "";
      else if (TEXT_TYPES.test(publication.mediaType) || publication.mediaType === "") {
        body.textContent = new TextDecoder().decode(publication.body);
      } else body.textContent = `(${publication.body.byteLength} bytes of ${publication.mediaType})`;
    },
  };
}
