import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { PublicationUpdate } from "../entries/index.js";
import { confirmedAt, trackConfirmation, type Confirmation } from "./confirmation.js";
import { describeFreshness } from "./freshness.js";
import { renderBody } from "./media-body.js";
import type { ShownPublication } from "./screen-status.js";
import type { TimeFormat } from "./time-format.js";

export interface PublicationCard {
  readonly element: HTMLElement;
  /** A new update from the client: attributes, body (only when the version changed), freshness. */
  render(update: PublicationUpdate): void;
  /** Re-words the time-dependent texts (countdown, "2 minutes ago"); called every second. */
  refresh(now: number, offlineSince: number | undefined): void;
  /** What the screen summary needs. */
  shown(): ShownPublication;
  /** The latest update, for the diagnostics panel. */
  latest(): PublicationUpdate;
  confirmedAt(): number | undefined;
}

/**
 * One publication on the dashboard. Its attributes are the page contract the
 * end-to-end tests read: `data-publication-id`, `data-version` (empty with no
 * value), `data-state` (the client's state kind), `data-last-error` (a code,
 * empty when none); the element with class `body` holds the body text for
 * text and JSON media types (see media-body.ts).
 */
export function createPublicationCard(id: string, title: string, time: TimeFormat): PublicationCard {
  const titleId = `card-title-${id.replace(/[^\w-]/g, "_")}`;
  const element = el("article", "card");
  element.dataset.publicationId = id;
  element.dataset.version = "";
  element.dataset.state = "connecting";
  element.dataset.lastError = "";
  element.setAttribute("aria-labelledby", titleId);

  const heading = el("h2", "card-title", title);
  heading.id = titleId;
  const freshness = el("p", "freshness");
  const label = el("span", "freshness-label");
  const detail = el("span", "freshness-detail");
  freshness.append(label, detail);
  const head = el("header", "card-head");
  head.append(heading, freshness);

  // It may scroll (a long document on a small screen): focusable, so keyboards can scroll it too.
  const content = el("div", "card-content");
  content.tabIndex = 0;
  content.setAttribute("role", "region");
  content.setAttribute("aria-labelledby", titleId);
  content.append(el("p", "placeholder", "Waiting for data…"));
  const version = el("span", "card-version");
  const published = el("time", "card-published");
  const meta = el("footer", "card-meta");
  meta.append(version, published);
  element.append(head, content, meta);

  let update: PublicationUpdate = { id, value: undefined, state: { kind: "connecting" } };
  let confirmation: Confirmation | undefined;
  let shownVersion: string | undefined;
  let releaseBody = () => {};
  let lastOfflineSince: number | undefined;

  function showBody() {
    const publication = update.value?.publication;
    if (publication?.version === shownVersion) return;
    releaseBody();
    releaseBody = () => {};
    shownVersion = publication?.version;
    if (!publication) {
      element.dataset.media = "";
      content.replaceChildren(el("p", "placeholder", "No data yet"));
      return;
    }
    releaseBody = renderBody(content, publication, title);
    element.dataset.media = content.dataset.media ?? "";
    element.dataset.size = content.dataset.size ?? "";
  }

  function refresh(now: number, offlineSince: number | undefined) {
    lastOfflineSince = offlineSince;
    const words = describeFreshness(
      { state: update.state, hasValue: update.value !== undefined, confirmedAt: confirmedAt(confirmation), offlineSince },
      now,
      time,
    );
    freshness.dataset.tone = words.tone;
    label.textContent = words.label;
    detail.textContent = words.detail;
    const publication = update.value?.publication;
    version.textContent = publication ? `Version ${publication.version.slice(0, 8)}` : "";
    version.title = publication?.version ?? "";
    if (publication?.publishTime) {
      const at = timestampMs(publication.publishTime);
      published.dateTime = new Date(at).toISOString();
      published.textContent = `Published ${time.clock(at, now)} (${time.relative(at, now)})`;
    } else {
      published.removeAttribute("datetime");
      published.textContent = "";
    }
  }

  return {
    element,
    render(next) {
      update = next;
      confirmation = trackConfirmation(confirmation, next.value);
      element.dataset.version = next.value?.publication.version ?? "";
      element.dataset.state = next.state.kind;
      element.dataset.lastError = next.lastError?.code ?? "";
      showBody();
      refresh(Date.now(), lastOfflineSince);
    },
    refresh,
    shown: () => ({ state: update.state, confirmedAt: confirmedAt(confirmation) }),
    latest: () => update,
    confirmedAt: () => confirmedAt(confirmation),
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
