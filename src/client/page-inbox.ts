import type { CachedValue } from "../core/cache-types.js";
import type { Logger } from "../core/logger.js";
import { sameEncoding } from "../core/same-encoding.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { PageMessageButReport } from "../protocol/to-page-messages.js";
import { decodePublication } from "../protocol/publication-decoder.js";
import type { RefScope } from "../protocol/publication-ref.js";
import { fromWireState, type WireFreshness, type WireValue } from "../protocol/wire-snapshot.js";
import type { DeviceWatchers } from "./device-watchers.js";
import type { SubscriptionViews } from "./subscription-views.js";

/** What a tab's handlers of host messages work with. */
export interface Inbox {
  /** This client's server × device × partition: messages about others are not for it. */
  readonly scope: RefScope;
  readonly views: SubscriptionViews;
  readonly deviceWatchers: DeviceWatchers;
  readonly logger: Logger | undefined;
  /** Counts a message that validated but could not be shown (a forged or undecodable value). */
  dropped(): void;
  tokenRequested(): void;
  cleared(requestId: string): void;
  hostReady(): void;
}

type Handlers = { readonly [T in PageMessageButReport["type"]]: (message: Extract<PageMessageButReport, { type: T }>, inbox: Inbox) => void };

const mine = (inbox: Inbox, scope: RefScope) =>
  scope.server === inbox.scope.server && scope.device === inbox.scope.device && scope.partition === inbox.scope.partition;

/**
 * What a tab does with each message the host sends: one handler per row of
 * the protocol's page-bound table (`protocol/to-page-messages.ts`) — a row
 * without its handler does not compile. The host's reports have theirs in
 * `host-report-inbox.ts`, loaded with their table.
 */
export const PAGE_HANDLERS: Handlers = {
  snapshot(message, inbox) {
    const { ref, snapshot } = message;
    const { views } = inbox;
    if (!mine(inbox, ref)) return;
    const view = views.get(ref.id);
    if (!view) return;
    const held = views.bytesOf(ref.id);
    const wire = snapshot.value;
    // A host that just started has not loaded storage yet: keep what we show.
    let value = view.update.value;
    if (wire) {
      let publication: Publication | undefined;
      try {
        // The bytes this tab already shows (a greeting for another tab, a restarted host): not decoded again.
        publication = value && held && sameEncoding(wire.publication, held) ? value.publication : decodePublication(wire.publication);
      } catch {
        publication = undefined;
      }
      // Any same-origin script can post on the channel: a value that does
      // not decode, or is another publication than the one named, is not shown.
      if (publication?.id !== ref.id) {
        inbox.dropped();
        inbox.logger?.warn("dropped a snapshot that is not the publication it names", { id: ref.id });
        return;
      }
      value = withFreshness(publication, wire);
    }
    view.heardFromHost = true;
    views.deliver(
      { id: ref.id, value, state: fromWireState(snapshot.state), ...(snapshot.lastError && { lastError: snapshot.lastError }) },
      wire ? wire.publication : held,
    );
  },
  state(message, inbox) {
    const { ref, change } = message;
    if (!mine(inbox, ref)) return;
    const view = inbox.views.get(ref.id);
    if (!view) return;
    view.heardFromHost = true;
    // The host sends a state change only for the value it last sent in full: a tab that holds that
    // version takes its freshness; one that does not (it missed it) keeps what it shows until the next full snapshot.
    const held = view.update.value;
    const value = held && change.value && held.publication.version === change.value.version ? withFreshness(held.publication, change.value) : held;
    inbox.views.deliver(
      { id: ref.id, value, state: fromWireState(change.state), ...(change.lastError && { lastError: change.lastError }) },
      inbox.views.bytesOf(ref.id),
    );
  },
  device(message, inbox) {
    if (!mine(inbox, message.scope)) return;
    const publications: Publication[] = [];
    for (const bytes of message.publications) {
      try {
        publications.push(decodePublication(bytes));
      } catch {
        inbox.dropped();
        return;
      }
    }
    inbox.deviceWatchers.deliver(publications);
  },
  "token-request"(message, inbox) {
    if (message.server === inbox.scope.server) inbox.tokenRequested();
  },
  cleared(message, inbox) {
    inbox.cleared(message.requestId);
  },
  "host-ready"(_message, inbox) {
    inbox.hostReady();
  },
};

/** Hands one validated host message to its handler. */
export function dispatchToPage(message: PageMessageButReport, inbox: Inbox): void {
  (PAGE_HANDLERS[message.type] as (message: PageMessageButReport, inbox: Inbox) => void)(message, inbox);
}

/** A publication with the freshness the host gives it. */
function withFreshness(publication: Publication, fresh: WireFreshness | WireValue): CachedValue {
  return { publication, source: fresh.source, receivedAt: fresh.receivedAt, lastConfirmedAt: fresh.lastConfirmedAt };
}
