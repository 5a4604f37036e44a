import { describeOfflineAvailability, type OfflineAvailability } from "./offline-availability.js";

export interface OfflineNote {
  readonly element: HTMLElement;
  /** Shows the line for `availability`, or hides it where there is nothing to say; touches the page only on a change. */
  show(availability: OfflineAvailability): void;
}

/**
 * Why this screen cannot start offline — the page is on plain http, or the
 * device does not trust the site's certificate — as one calm line between
 * the cards and the footer, in the page's flow (the layout measures around
 * it, so it never covers data), like the install hint. Not an alarm: the
 * screen works, only a start without the network would not. Hidden
 * otherwise. `data-testid="offline-availability"` and
 * `data-availability="<kind>"` let tests read it.
 */
export function createOfflineNote(): OfflineNote {
  const element = document.createElement("p");
  element.className = "offline-note";
  element.dataset.testid = "offline-availability";
  element.hidden = true;
  let shown: string | undefined;
  return {
    element,
    show(availability) {
      const line = describeOfflineAvailability(availability).line;
      if (line === shown) return;
      shown = line;
      element.dataset.availability = availability.kind;
      element.textContent = line ?? "";
      element.title = line ?? "";
      element.hidden = line === undefined;
    },
  };
}
