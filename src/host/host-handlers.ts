import type { Logger } from "../core/logger.js";
import type { SubscriptionClaim, ToHostMessage } from "../protocol/messages.js";
import { refKey } from "../protocol/ref-keys.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";
import type { ClaimBook } from "./claim-book.js";
import type { CredentialIdentities } from "./credential-identity.js";
import type { DeviceWatches } from "./device-watches.js";
import type { FeedPool, Followed } from "./feed-pool.js";
import type { TokenKeeper } from "./host-types.js";
import type { ReceiptHub } from "./receipt-hub.js";

/** What the handlers of page messages work with: the pieces the cache host holds. */
export interface HostParts {
  readonly book: ClaimBook;
  readonly feeds: FeedPool;
  readonly deviceWatches: DeviceWatches;
  readonly tokens: TokenKeeper;
  /** Who each server's token stands for: a renewal of one sign-in is not new credentials for receipts. */
  readonly identities: CredentialIdentities;
  readonly receipts: ReceiptHub | undefined;
  readonly logger: Logger;
  /** How long a released ref stays followed (a reload must not restart its stream). */
  readonly graceMs: number;
  /** The tab is alive: its lease starts again. */
  touchLease(clientId: string): void;
  /** The tab said goodbye: its lease ends now. */
  endLease(clientId: string): void;
  /** A tab claimed a ref (`firstHolder`: nobody did before): follow it and greet the tab. */
  claim(claim: SubscriptionClaim, firstHolder: boolean): void;
  /** Follows (or keeps following) a claimed ref and cancels any pending release. */
  ensureFollowed(claim: SubscriptionClaim): Followed;
  /** Releases the ref after `afterMs` unless a tab claims it again. */
  scheduleStop(ref: PublicationRef, afterMs: number): void;
  /** Wipes a scope and tells pages `requestId` is done. */
  clear(requestId: string, scope: RefScope): void;
}

type Handlers = { readonly [T in ToHostMessage["type"]]: (message: Extract<ToHostMessage, { type: T }>, host: HostParts) => void };

/**
 * What the host does with each message a page sends: one handler per row of
 * the protocol's host-bound table (`protocol/to-host-messages.ts`) — a row
 * without its handler does not compile.
 */
export const HOST_HANDLERS: Handlers = {
  subscribe(message, host) {
    host.touchLease(message.clientId);
    host.claim(message.claim, host.book.claim(message.clientId, message.claim.ref));
  },
  unsubscribe(message, host) {
    host.touchLease(message.clientId);
    if (host.book.release(message.clientId, message.ref)) host.scheduleStop(message.ref, host.graceMs);
  },
  heartbeat(message, host) {
    host.touchLease(message.clientId);
    const { gained, lost } = host.book.sync(message.clientId, message.claims.map((c) => c.ref));
    const gainedKeys = new Set(gained.map(refKey));
    for (const claimed of message.claims) {
      if (gainedKeys.has(refKey(claimed.ref))) host.claim(claimed, true);
      else host.ensureFollowed(claimed);
    }
    for (const ref of lost) host.scheduleStop(ref, host.graceMs);
    host.deviceWatches.sync(message.clientId, message.devices ?? []);
  },
  goodbye(message, host) {
    host.endLease(message.clientId);
    for (const ref of host.book.releaseClient(message.clientId)) host.scheduleStop(ref, host.graceMs);
    host.deviceWatches.releaseClient(message.clientId);
  },
  wake(message, host) {
    host.touchLease(message.clientId);
    host.feeds.wake();
    host.receipts?.wake();
  },
  "watch-device"(message, host) {
    host.touchLease(message.clientId);
    host.deviceWatches.watch(message.clientId, message.watch);
  },
  "unwatch-device"(message, host) {
    host.touchLease(message.clientId);
    host.deviceWatches.unwatch(message.clientId, message.scope);
  },
  acknowledge(message, host) {
    host.touchLease(message.clientId);
    const { ref } = message;
    if (!host.receipts) {
      host.logger.warn("dropped an acknowledgement: this host sends none", { id: ref.id });
      return;
    }
    void host.receipts
      .request(ref.server, {
        device: ref.device,
        id: ref.id,
        version: message.version,
        publishTimeMs: message.publishTimeMs,
        receipt: message.receipt,
        ...(message.reason !== undefined && { reason: message.reason }),
      })
      .catch((error: unknown) => host.logger.warn("acknowledgement could not be recorded", { id: ref.id, error: String(error) }));
  },
  token(message, host) {
    // The token the host already has (a page answering a token request
    // with it): retrying could only be refused again — e.g. a signed-in
    // screen that is not allowed (PERMISSION_DENIED) — so no retry loop.
    if (host.tokens.get(message.server) === (message.token ?? undefined)) return;
    if (message.token === null) {
      // Signed out: the old token is forgotten; nothing to retry with.
      host.tokens.delete(message.server);
      host.identities.forget(message.server);
      return;
    }
    host.tokens.set(message.server, message.token);
    host.feeds.credentialsChanged(message.server);
    // Acknowledgements the policy refused are asked for again only for another sign-in, not for a renewed token of the same one.
    if (host.identities.update(message.server, message.token)) host.receipts?.credentialsChanged(message.server);
  },
  clear(message, host) {
    host.clear(message.requestId, message.scope);
  },
};

/** Hands one validated message to its handler. */
export function dispatchToHost(message: ToHostMessage, host: HostParts): void {
  (HOST_HANDLERS[message.type] as (message: ToHostMessage, host: HostParts) => void)(message, host);
}
