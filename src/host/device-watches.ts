import type { Clock } from "../core/clock.js";
import { encodedPublication } from "../core/encoded-publication.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { DeviceWatch } from "../protocol/messages.js";
import { scopeKeyOf } from "../protocol/ref-keys.js";
import type { RefScope } from "../protocol/publication-ref.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";

/** Watches every publication of one server × device (metadata, no bodies) on the feed its screens use; returns the function that stops. */
export type DeviceWatcher = (
  scope: RefScope,
  tuning: EngineTuning | undefined,
  listener: (publications: readonly Publication[]) => void,
) => () => void;

/** How long the host gathers device changes before telling pages (an opening snapshot of hundreds is one message). */
const COALESCE_MS = 200;

interface Watched {
  readonly scope: RefScope;
  readonly clients: Set<string>;
  stop: () => void;
  /** What pages were last told, encoded. */
  last: Uint8Array[] | undefined;
  cancelSend: (() => void) | undefined;
}

/**
 * Which tabs watch which devices whole (a fleet view), on the host's feeds:
 * one feed watch per device however many tabs, metadata encoded once and
 * sent to every page, and everything released when the last tab goes.
 */
export class DeviceWatches {
  readonly #watched = new Map<string, Watched>();

  constructor(
    private readonly watcher: DeviceWatcher,
    private readonly send: (scope: RefScope, publications: Uint8Array[]) => void,
    private readonly clock: Clock,
  ) {}

  /** `clientId` watches `watch.scope`; a newcomer is told what is known at once. */
  watch(clientId: string, watch: DeviceWatch): void {
    const key = scopeKeyOf(watch.scope);
    let watched = this.#watched.get(key);
    if (!watched) {
      const entry: Watched = {
        scope: watch.scope,
        clients: new Set(),
        stop: () => undefined,
        last: undefined,
        cancelSend: undefined,
      };
      entry.stop = this.watcher(watch.scope, watch.tuning, (publications) => this.#changed(entry, publications));
      this.#watched.set(key, entry);
      watched = entry;
    } else if (!watched.clients.has(clientId) && watched.last) {
      this.send(watched.scope, watched.last);
    }
    watched.clients.add(clientId);
  }

  unwatch(clientId: string, scope: RefScope): void {
    const key = scopeKeyOf(scope);
    const watched = this.#watched.get(key);
    if (!watched?.clients.delete(clientId) || watched.clients.size > 0) return;
    watched.cancelSend?.();
    watched.stop();
    this.#watched.delete(key);
  }

  /** A heartbeat says what `clientId` watches now: anything else of its is released. */
  sync(clientId: string, watches: readonly DeviceWatch[]): void {
    const wanted = new Set(watches.map((w) => scopeKeyOf(w.scope)));
    for (const watched of [...this.#watched.values()]) {
      if (watched.clients.has(clientId) && !wanted.has(scopeKeyOf(watched.scope))) this.unwatch(clientId, watched.scope);
    }
    for (const watch of watches) if (!this.#watched.get(scopeKeyOf(watch.scope))?.clients.has(clientId)) this.watch(clientId, watch);
  }

  /** Releases everything `clientId` watched (it left, or its lease ran out). */
  releaseClient(clientId: string): void {
    for (const watched of [...this.#watched.values()]) if (watched.clients.has(clientId)) this.unwatch(clientId, watched.scope);
  }

  close(): void {
    for (const watched of this.#watched.values()) {
      watched.cancelSend?.();
      watched.stop();
    }
    this.#watched.clear();
  }

  #changed(watched: Watched, publications: readonly Publication[]): void {
    watched.cancelSend?.();
    watched.cancelSend = this.clock.setTimer(COALESCE_MS, () => {
      watched.cancelSend = undefined;
      // The feed keeps each publication's metadata object until it changes: an unchanged one is not encoded again.
      watched.last = publications.map(encodedPublication);
      this.send(watched.scope, watched.last);
    });
  }
}
