import type { Logger } from "../core/logger.js";
import { sameEncoding } from "../core/same-encoding.js";
import { freshnessSignature, type PublicationUpdate } from "./publication-update.js";

type Callback = (update: PublicationUpdate) => void;

/** What this tab shows of one id, and who in the tab listens. */
export interface View {
  readonly id: string;
  readonly callbacks: Set<Callback>;
  readonly update: PublicationUpdate;
  /** True once a host snapshot arrived: the first-paint read must not overwrite it. */
  heardFromHost: boolean;
}

/**
 * The ids this tab subscribes to, each with its latest update. Delivery is
 * de-duplicated: callbacks run only when value or state actually changed, so
 * repeated host snapshots (a greeting for a new tab, a restarted worker)
 * never show a value twice.
 */
export class SubscriptionViews {
  private readonly views = new Map<string, View & { update: PublicationUpdate; bytes: Uint8Array | undefined; signature: string }>();

  /**
   * `rendered` runs after the callbacks of an update with a value got it,
   * with what the first that threw threw (a render that failed), if any.
   */
  constructor(
    private readonly logger: Logger | undefined,
    private readonly rendered: (update: PublicationUpdate, failure: unknown) => void = () => undefined,
  ) {}

  /** The view of `id`, created (state `connecting`, no value) if new; `created` says which. */
  open(id: string): { view: View; created: boolean } {
    const existing = this.views.get(id);
    if (existing) return { view: existing, created: false };
    const update: PublicationUpdate = { id, value: undefined, state: { kind: "connecting" } };
    const view = { id, callbacks: new Set<Callback>(), update, bytes: undefined, signature: freshnessSignature(update), heardFromHost: false };
    this.views.set(id, view);
    return { view, created: true };
  }

  get(id: string): View | undefined {
    return this.views.get(id);
  }

  /** True while `view` is the current view of its id (not closed and reopened since). */
  isCurrent(view: View): boolean {
    return this.views.get(view.id) === view;
  }

  ids(): string[] {
    return [...this.views.keys()];
  }

  all(): View[] {
    return [...this.views.values()];
  }

  /** Removes `view` if it has no callback left; true when it did. */
  closeIfUnused(view: View): boolean {
    if (view.callbacks.size > 0 || !this.isCurrent(view)) return false;
    this.views.delete(view.id);
    return true;
  }

  /** The encoded value `id` shows now (to keep it when a host has none yet). */
  bytesOf(id: string): Uint8Array | undefined {
    return this.views.get(id)?.bytes;
  }

  /**
   * Records `update` — whose value decodes from `bytes` — and calls the
   * callbacks if anything a viewer sees changed: the value (by its bytes,
   * `sameEncoding`, the core's definition), its freshness, the state or the
   * last error. An update a viewer cannot tell from the held one is dropped, so
   * `view.update` stays the very object the callbacks last got (a stable
   * synchronous snapshot, as React's `useSyncExternalStore` needs).
   */
  deliver(update: PublicationUpdate, bytes: Uint8Array | undefined): void {
    const view = this.views.get(update.id);
    if (!view) return;
    const signature = freshnessSignature(update);
    const sameValue = bytes === undefined || view.bytes === undefined ? bytes === view.bytes : sameEncoding(bytes, view.bytes);
    if (sameValue && signature === view.signature) return;
    view.update = update;
    view.bytes = bytes;
    view.signature = signature;
    let failure: unknown;
    for (const callback of [...view.callbacks]) {
      const thrown = this.call(callback, update);
      failure ??= thrown;
    }
    if (update.value) this.rendered(update, failure);
  }

  /** Calls one callback with `update`; returns what it threw (logged), if anything. */
  call(callback: Callback, update: PublicationUpdate): unknown {
    try {
      callback(update);
      return undefined;
    } catch (error) {
      this.logger?.error("subscriber threw", { id: update.id, error: String(error) });
      return error ?? new Error("a subscriber threw");
    }
  }
}
