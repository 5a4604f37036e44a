import type { CachedValue } from "../../core/cache-types.js";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { AcknowledgeOptions, ClientDiagnostics, PubCacheClient } from "../pub-cache-client.js";
import type { ScreenReceipt } from "../screen-receipts.js";
import type { PublicationUpdate } from "../publication-update.js";

type Callback = (update: PublicationUpdate) => void;

/**
 * A page client with no host, for the framework bindings' tests: the test
 * says what each publication's update is (`emit`) and sees who listens
 * (`listeners`). Keeps the real client's contract: the first callback comes
 * in a microtask after `subscribe`; `peek` is the object the last callback
 * got (the same object until the next change), or a stable `connecting`
 * placeholder while nobody subscribes.
 */
export class FakePubCacheClient implements PubCacheClient {
  private readonly callbacks = new Map<string, Set<Callback>>();
  private readonly updates = new Map<string, PublicationUpdate>();
  private readonly placeholders = new Map<string, PublicationUpdate>();
  /** Every `subscribe` call, in order (ids). */
  readonly subscribed: string[] = [];

  subscribe(id: string, callback: Callback): () => void {
    this.subscribed.push(id);
    const set = this.callbacks.get(id) ?? new Set<Callback>();
    this.callbacks.set(id, set);
    set.add(callback);
    queueMicrotask(() => {
      if (set.has(callback)) callback(this.peek(id));
    });
    return () => {
      set.delete(callback);
      if (set.size === 0) this.callbacks.delete(id);
    };
  }

  peek(id: string): PublicationUpdate {
    const current = this.updates.get(id);
    if (current) return current;
    let placeholder = this.placeholders.get(id);
    if (!placeholder) this.placeholders.set(id, (placeholder = { id, value: undefined, state: { kind: "connecting" } }));
    return placeholder;
  }

  /** Makes `update` the current update of its id and calls its subscribers. */
  emit(update: PublicationUpdate): void {
    this.updates.set(update.id, update);
    for (const callback of [...(this.callbacks.get(update.id) ?? [])]) callback(update);
  }

  /** How many callbacks are subscribed to `id` now. */
  listeners(id: string): number {
    return this.callbacks.get(id)?.size ?? 0;
  }

  async get(id: string): Promise<CachedValue | undefined> {
    return this.updates.get(id)?.value;
  }

  async clear(): Promise<void> {
    for (const [id, update] of this.updates) this.emit({ ...update, id, value: undefined });
  }

  async credentialsChanged(): Promise<void> {}

  /** Every acknowledgement asked for, in order. */
  readonly acknowledged: Array<{ id: string; receipt: ScreenReceipt; options: AcknowledgeOptions | undefined }> = [];

  acknowledge(id: string, receipt: ScreenReceipt, options?: AcknowledgeOptions): boolean {
    this.acknowledged.push({ id, receipt, options });
    return true;
  }

  /** The device watchers; `emitDevice` calls them. */
  readonly deviceWatchers = new Set<(publications: readonly Publication[]) => void>();

  watchDevice(callback: (publications: readonly Publication[]) => void): () => void {
    this.deviceWatchers.add(callback);
    return () => this.deviceWatchers.delete(callback);
  }

  emitDevice(publications: readonly Publication[]): void {
    for (const watcher of [...this.deviceWatchers]) watcher(publications);
  }

  readonly diagnostics: ClientDiagnostics = {
    mode: "follower",
    droppedMessages: 0,
    receivedMessages: 0,
    receipts: [],
    receiptsRefusedSince: undefined,
    storageRecoveries: [],
    workerProblem: undefined,
    upstreamProtocol: undefined,
    watchdogEvents: [],
    serverContact: undefined,
  };

  async close(): Promise<void> {
    this.callbacks.clear();
  }
}
