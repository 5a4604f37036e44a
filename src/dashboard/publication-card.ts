import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { CacheError, PublicationUpdate } from "../entries/index.js";
import { cardNoteShown } from "./card-note.js";
import { confirmedAt, trackConfirmation, type Confirmation } from "./confirmation.js";
import { describeFreshness, type Freshness } from "./freshness.js";
import type { ParsedJson, SiteInfo } from "./json/json-body.js";
import type { JsonParser } from "./json/json-parser.js";
import { fitsWhole, MAX_PARTS, showAll, showSmallestPart, splitIntoParts, type ContentParts, type SmallestPart } from "./layout/content-pages.js";
import { mediaKindOf, renderBody } from "./media-body.js";
import type { ScreenKind, ShownPublication } from "./screen-status.js";
import type { TimeFormat } from "./time-format.js";

export interface PublicationCard {
  readonly element: HTMLElement;
  /** The box the body is shown in (the layout measures and pages it). */
  readonly content: HTMLElement;
  /** A new update from the client: attributes, body (only when the version changed), freshness. */
  render(update: PublicationUpdate): void;
  /** Re-words the time-dependent texts ("2 minutes ago") and shows the note only where the screen does not say it; called every second. */
  refresh(now: number, screen: CardScreen): void;
  /** What the screen summary needs. */
  shown(): ShownPublication;
  /** The latest update, for the diagnostics panel. */
  latest(): PublicationUpdate;
  /**
   * The last error seen, kept until the publication is live or polling again: between two
   * reconnection attempts the state (`connecting`) carries none, and diagnostics would read "none".
   */
  lastError(): CacheError | undefined;
  confirmedAt(): number | undefined;
  /** The building this card's JSON names, if any (for the header). */
  site(): SiteInfo | undefined;
  /** Width ÷ height of the image shown, once it is decoded. */
  imageAspect(): number | undefined;
  /**
   * What the card's natural size depends on at a given width: the body shown, the texts of its
   * title, note and footer, the image's shape. The layout measures the card again when it changes.
   */
  sizeKey(): string;
  /** Shows the whole body at its natural size (the layout measures it). */
  unfit(): void;
  /**
   * For measuring (layout writes only): the card as its smallest part would
   * show, with the "4 of 4" line; {@link unfit} undoes it.
   */
  showSmallestPart(part: SmallestPart): void;
  /** Splits the body into parts that fit the card's current box: how many, and by how much the tallest is still too tall. */
  fit(): CardFit;
  /** Shows part `index` of the body (wraps) and says "2 of 3". */
  showPart(index: number): void;
  /** Why the card must be fitted again: a new body, or a box whose size changed since the last fit; undefined when neither. */
  refitReason(): "new-body" | "resized" | undefined;
  /** Marks the current version as on screen (`data-shown-version`), once the layout has placed it. */
  markShown(): void;
}

/** What the screen as a whole says, for a card to say only what differs (screen-status.ts). */
export interface CardScreen {
  readonly kind: ScreenKind;
  readonly offlineSince: number | undefined;
  /** Some publications went down (or came back) a moment ago: too early to tell one card's trouble from the server's. */
  readonly settling: boolean;
  /** The screen's own sign-in waits for a person: a card still connecting says so rather than "Connecting…". */
  readonly signInNeeded?: boolean;
}

export interface CardFit {
  readonly parts: number;
  /** 0 when every part fits its box. */
  readonly overflowPx: number;
}

export interface CardOptions {
  readonly id: string;
  readonly title: string;
  readonly time: TimeFormat;
  readonly json: JsonParser;
  /** The body or the card's chrome changed: the layout must measure again. */
  readonly onChange: () => void;
  /**
   * A version's body is on screen (`accepted`), or cannot be shown for its
   * media type (`rejected`: not JSON, an image that does not decode, a type
   * this screen does not show) — what the screen tells the server.
   */
  readonly onShown?: (version: string, receipt: "accepted" | "rejected", reason?: string) => void;
}

/**
 * One publication on the dashboard. Its attributes are the page contract the
 * end-to-end tests read: `data-publication-id`, `data-version` (empty with no
 * value), `data-state` (the client's state kind), `data-last-error` (a code,
 * empty when none), `data-media`; the element with class `body` holds the
 * body text for text and JSON media types (see media-body.ts).
 * `data-problem` is why the version received is not shown (empty when it
 * is): the card says it in a note, and the receipt carries it.
 * `data-shown-version` is the version whose body is on screen: it follows
 * `data-version` once the body is parsed (large JSON is parsed in a worker)
 * and laid out.
 */
export function createPublicationCard(options: CardOptions): PublicationCard {
  const { id, title, time } = options;
  const titleId = `card-title-${id.replace(/[^\w-]/g, "_")}`;
  const element = el("article", "card");
  element.dataset.publicationId = id;
  element.dataset.version = "";
  element.dataset.shownVersion = "";
  element.dataset.state = "connecting";
  element.dataset.lastError = "";
  element.dataset.problem = "";
  element.setAttribute("aria-labelledby", titleId);

  const heading = el("h2", "card-title", title);
  heading.id = titleId;
  const part = el("p", "card-part");
  part.hidden = true;
  const freshness = el("p", "freshness");
  const label = el("span", "freshness-label");
  const detail = el("span", "freshness-detail");
  freshness.append(label, detail);
  // Why the version received is not shown (the same reason the server gets in a REJECTED receipt).
  const problem = el("p", "card-problem");
  problem.hidden = true;
  const head = el("header", "card-head");
  head.append(heading, part, freshness, problem);

  const content = el("div", "card-content");
  content.setAttribute("role", "region");
  content.setAttribute("aria-labelledby", titleId);
  content.append(el("p", "placeholder", WAITING_PLACEHOLDER));
  const version = el("span", "card-version");
  const published = el("time", "card-published");
  const meta = el("footer", "card-meta");
  meta.append(version, published);
  element.append(head, content, meta);

  let update: PublicationUpdate = { id, value: undefined, state: { kind: "connecting" } };
  let lastError: CacheError | undefined;
  let confirmation: Confirmation | undefined;
  let requestedVersion: string | undefined;
  let renderedVersion: string | undefined = "";
  let site: SiteInfo | undefined;
  let releaseBody = () => {};
  let lastScreen: CardScreen = { kind: "connecting", offlineSince: undefined, settling: false };
  let parts: ContentParts | undefined;
  let fittedAt = "";

  function showBody() {
    const publication = update.value?.publication;
    if (publication?.version === requestedVersion) return;
    requestedVersion = publication?.version;
    if (!publication) {
      swapBody(undefined, () => {
        element.dataset.media = "";
        content.replaceChildren(el("p", "placeholder", "No data yet"));
        return () => {};
      });
      return;
    }
    const kind = mediaKindOf(publication.mediaType);
    if (kind !== "json") {
      const failure = swapBody(undefined, () => renderBody(content, publication, title));
      if (failure !== undefined) shown(publication.version, "rejected", failure);
      else if (kind === "text") shown(publication.version, "accepted");
      else if (kind === "other") shown(publication.version, "rejected", `${publication.mediaType || "this media type"} is not shown on this screen`);
      else watchImage(publication.version);
      return;
    }
    const parsed = options.json.parse(publication.body);
    const showParsed = (result: ParsedJson) => {
      const failure = swapBody(result.site, () => renderBody(content, publication, title, result));
      if (failure !== undefined) shown(publication.version, "rejected", failure);
      else if (result.view) shown(publication.version, "accepted");
      else shown(publication.version, "rejected", result.problem ?? "could not be read");
    };
    if (!(parsed instanceof Promise)) {
      showParsed(parsed);
      return;
    }
    // Large JSON: the version on screen stays until the new one is parsed; a newer one wins.
    void parsed.then((result) => {
      if (requestedVersion !== publication.version) return;
      showParsed(result);
    });
  }

  /** What the screen last said of the version on screen, to say again when the server forgot it. */
  let lastShown: { version: string; receipt: "accepted" | "rejected"; reason: string | undefined } | undefined;

  function shown(version: string, receipt: "accepted" | "rejected", reason?: string) {
    lastShown = { version, receipt, reason };
    showProblem(receipt === "rejected" ? (reason ?? "it cannot be shown") : undefined);
    options.onShown?.(version, receipt, reason);
  }

  /** The card's note on the body it cannot show; `undefined` hides it. */
  function showProblem(reason: string | undefined) {
    const text = reason === undefined ? "" : `This screen cannot show this version: ${reason}`;
    if (problem.textContent === text) return;
    problem.textContent = text;
    problem.hidden = reason === undefined;
    element.dataset.problem = reason ?? "";
    options.onChange();
  }

  /** An image is shown once it decodes; one that does not is rejected. */
  function watchImage(version: string) {
    const img = content.querySelector("img");
    if (!img) return;
    img.addEventListener("load", () => requestedVersion === version && shown(version, "accepted"), { once: true });
    img.addEventListener(
      "error",
      () => {
        if (requestedVersion !== version) return;
        // The note says why; a broken-image icon beside it says nothing more.
        img.hidden = true;
        shown(version, "rejected", "the image does not decode");
      },
      { once: true },
    );
  }

  /** Replaces the body; returns why it could not be drawn (the content is left empty then), `undefined` when it was. */
  function swapBody(nextSite: SiteInfo | undefined, render: () => () => void): string | undefined {
    releaseBody();
    site = nextSite;
    parts = undefined;
    showProblem(undefined);
    let failure: string | undefined;
    try {
      releaseBody = render();
    } catch (error) {
      // Never "Waiting for data…" for a version that arrived: the card says why instead.
      releaseBody = () => {};
      failure = `could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
      content.replaceChildren();
      delete content.dataset.media;
    }
    renderedVersion = requestedVersion ?? "";
    element.dataset.media = content.dataset.media ?? "";
    const img = content.querySelector("img");
    img?.addEventListener("load", options.onChange, { once: true });
    options.onChange();
    return failure;
  }

  function refresh(now: number, screen: CardScreen) {
    lastScreen = screen;
    const waitsForSignIn = screen.signInNeeded === true && update.state.kind === "connecting";
    const words = waitsForSignIn
      ? signInWords(update.value !== undefined)
      : describeFreshness(
          { state: update.state, hasValue: update.value !== undefined, confirmedAt: confirmedAt(confirmation), offlineSince: screen.offlineSince },
          now,
          time,
        );
    // The first placeholder says why nothing is there yet: waiting for the server, or for a sign-in.
    const placeholder = content.querySelector<HTMLElement>(":scope > .placeholder");
    const placeholderText = waitsForSignIn ? SIGN_IN_PLACEHOLDER : WAITING_PLACEHOLDER;
    if (placeholder && [SIGN_IN_PLACEHOLDER, WAITING_PLACEHOLDER].includes(placeholder.textContent ?? "") && placeholder.textContent !== placeholderText) {
      placeholder.textContent = placeholderText;
      options.onChange();
    }
    freshness.dataset.tone = words.tone;
    label.textContent = words.label;
    detail.textContent = words.detail;
    const noteHidden = !cardNoteShown(update.state.kind, screen.kind, screen.settling);
    if (freshness.hidden !== noteHidden) {
      freshness.hidden = noteHidden;
      options.onChange();
    }
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

  const boxSize = () => `${content.clientWidth}×${content.clientHeight}`;

  function showPart(index: number) {
    if (!parts) return;
    parts.show(index);
    const n = parts.count;
    part.textContent = n > 1 ? `${(((index % n) + n) % n) + 1} of ${n}` : "";
    part.dataset.part = String((((index % n) + n) % n) + 1);
    part.dataset.parts = String(n);
  }

  return {
    element,
    content,
    render(next) {
      update = next;
      const error = next.lastError ?? ("lastError" in next.state ? next.state.lastError : undefined);
      if (error) lastError = error;
      else if (next.state.kind === "live" || next.state.kind === "polling") lastError = undefined;
      confirmation = trackConfirmation(confirmation, next.value);
      element.dataset.version = next.value?.publication.version ?? "";
      element.dataset.state = next.state.kind;
      element.dataset.lastError = next.lastError?.code ?? "";
      showBody();
      // The same version again with news about it (identical content re-published, so the
      // server's receipt is NO_SIGNAL again): the body on screen is unchanged; say so again
      // (the client sends nothing when the server already holds that receipt).
      const version = next.value?.publication.version;
      if (lastShown && version === lastShown.version && renderedVersion === version) {
        options.onShown?.(lastShown.version, lastShown.receipt, lastShown.reason);
      }
      refresh(Date.now(), lastScreen);
    },
    refresh,
    shown: () => ({ state: update.state, confirmedAt: confirmedAt(confirmation) }),
    latest: () => update,
    lastError: () => lastError,
    confirmedAt: () => confirmedAt(confirmation),
    site: () => site,
    imageAspect: () => imageAspectOf(content),
    sizeKey() {
      const note = freshness.hidden ? "" : (freshness.textContent ?? "");
      return [renderedVersion, element.dataset.media, title, note, problem.textContent, meta.textContent, imageAspectOf(content)].join("\u0000");
    },
    unfit() {
      part.hidden = true;
      showAll(content);
      parts = undefined;
      fittedAt = "";
    },
    showSmallestPart(smallest) {
      part.hidden = false;
      part.textContent = `${MAX_PARTS} of ${MAX_PARTS}`;
      showSmallestPart(content, smallest);
    },
    fit() {
      // Without the "1 of 3" line when the body fits whole; with it (it takes room) when it needs parts.
      // Asking first costs one layout; splitting twice (without the line, then with it) cost a second split.
      part.hidden = true;
      if (fitsWhole(content)) {
        parts = splitIntoParts(content);
      } else {
        part.hidden = false;
        part.textContent = `1 of ${MAX_PARTS}`;
        parts = splitIntoParts(content);
        part.hidden = parts.count <= 1;
      }
      showPart(0);
      fittedAt = boxSize();
      return { parts: parts.count, overflowPx: parts.overflowPx };
    },
    showPart,
    refitReason: () => (parts === undefined ? "new-body" : boxSize() !== fittedAt ? "resized" : undefined),
    markShown() {
      element.dataset.shownVersion = renderedVersion ?? "";
    },
  };
}

const WAITING_PLACEHOLDER = "Waiting for data…";
const SIGN_IN_PLACEHOLDER = "Shown once this screen is signed in.";

/** A card with nothing from the server yet, on a screen waiting for someone to sign it in. */
function signInWords(hasValue: boolean): Freshness {
  return {
    tone: "attention",
    label: "Sign-in needed",
    detail: hasValue ? "Showing saved data until this screen is signed in" : "Waiting for someone to sign this screen in",
  };
}

function imageAspectOf(content: HTMLElement): number | undefined {
  const img = content.querySelector("img");
  return img && img.complete && img.naturalWidth > 0 && img.naturalHeight > 0 ? img.naturalWidth / img.naturalHeight : undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
