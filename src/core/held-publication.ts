import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { CacheModel } from "./cache-model.js";
import type { CacheSnapshot, CachedValue, ValueSource } from "./cache-types.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { PublicationStorage } from "./publication-storage.js";
import { StorageError } from "./storage-error.js";
import { StorageSync } from "./storage-sync.js";
import { Subscribers } from "./subscribers.js";
import { rejectionReason } from "./validate-publication.js";

/**
 * Everything a cache holds for one publication: its value, state and last
 * error (the model), who listens (subscribers), and its copy in storage.
 * Both the standalone cache and every publication of a device feed are one
 * of these; the loops that talk to the server only call `accept`,
 * `model.setState` and friends.
 */
export class HeldPublication {
  readonly model: CacheModel;
  readonly subscribers: Subscribers;
  readonly #storageSync: StorageSync | undefined;
  #loading: Promise<void> | undefined;
  #loaded = false;

  constructor(
    readonly device: string,
    readonly id: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    storage: PublicationStorage | undefined,
  ) {
    this.subscribers = new Subscribers(() => this.model.snapshot, logger);
    this.model = new CacheModel(clock, () => this.subscribers.changed());
    this.#storageSync =
      storage &&
      new StorageSync(storage, id, (operation, error) => {
        const code = error instanceof StorageError ? error.code : "unavailable";
        logger.warn(`storage ${operation} failed`, { device, id, code, message: error.message });
        this.model.report({ code: `storage-${code}`, message: error.message, at: clock.now() });
      });
  }

  get snapshot(): CacheSnapshot {
    return this.model.snapshot;
  }

  get value(): CachedValue | undefined {
    return this.model.value;
  }

  /** True once the stored value (if any) has been loaded, or there is no storage. */
  get loaded(): boolean {
    return this.#loaded || !this.#storageSync;
  }

  /**
   * Loads the stored value once (later calls return the same promise). A
   * value from the server that arrived first is newer and wins.
   */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      const stored = await this.#storageSync?.load();
      if (stored && !this.model.value) this.model.commit(stored, "storage");
      this.#loaded = true;
    })();
    return this.#loading;
  }

  /**
   * Validates, commits and stores a publication from the server; `false`
   * (reported, neither stored nor shown) when it cannot be this one.
   */
  accept(publication: Publication | undefined, source: Exclude<ValueSource, "storage">): boolean {
    const reason = rejectionReason(publication, this.id);
    if (reason !== undefined || publication === undefined) {
      this.logger.warn("rejected a publication from the server", { device: this.device, id: this.id, reason });
      this.model.report({ code: "invalid-publication", message: reason ?? "", at: this.clock.now() });
      return false;
    }
    this.model.commit(publication, source);
    const held = this.model.value?.publication;
    if (held) this.#storageSync?.persist(held);
    return true;
  }

  /**
   * Storage lost what it held (cleared, evicted, deleted while running):
   * writes the value held in memory back. Resolves to whether it is stored
   * again; `false` without a value or storage, or when the write failed
   * (reported in the snapshot like any storage failure).
   */
  async storageLost(): Promise<boolean> {
    const held = this.model.value?.publication;
    if (!this.#storageSync || !held) return false;
    return this.#storageSync.rewrite(held);
  }

  /** Resolves once no storage write is pending (tests, orderly shutdown). */
  async settled(): Promise<void> {
    await this.#storageSync?.settled();
  }

  /** The `closed` snapshot reaches watchers at once; nothing is delivered after. */
  close(): void {
    this.model.close();
    this.subscribers.close();
  }
}
