import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "./storage-error.js";
import type { PublicationStorage } from "./publication-storage.js";

/** How a storage failure is reported to the cache (logged and recorded in the snapshot). */
export type StorageProblem = (operation: "load" | "store", error: StorageError | Error) => void;

/**
 * Keeps a cache's storage in step with its value: loads the stored value once,
 * and writes each new value, one write at a time.
 *
 * Writes never block the update loop (a storage that hangs must not stop the
 * cache from following the server). While a write is in flight only the
 * newest pending value is kept; an intermediate that a newer value superseded
 * before its turn is not written — storage ends with the latest value and
 * memory stays bounded. A value known to be stored already is not written
 * again — until `rewrite` says storage lost it.
 */
export class StorageSync {
  /** The publication object last known to be in storage (by reference). */
  #stored: Publication | undefined;
  #pending: Publication | undefined;
  #writing: Promise<void> | undefined;

  constructor(
    private readonly storage: PublicationStorage,
    private readonly id: string,
    private readonly report: StorageProblem,
  ) {}

  /**
   * The stored value, or `undefined` when there is none. Not-found is normal;
   * a corrupt record is reported and treated as not found; any other failure
   * is reported and is not fatal.
   */
  async load(): Promise<Publication | undefined> {
    try {
      const publication = await this.storage.load(this.id);
      this.#stored = publication;
      return publication;
    } catch (err) {
      if (!StorageError.is(err, "not-found")) this.report("load", asError(err));
      return undefined;
    }
  }

  /** Makes sure `publication` (the cache's current value object) ends up stored. */
  persist(publication: Publication): void {
    if (publication === this.#stored || publication === this.#pending) return;
    this.#pending = publication;
    this.#writing ??= this.#drain();
  }

  /**
   * Storage lost what it held (cleared, evicted, deleted under us): forgets
   * what it believed stored and writes `publication` again. Resolves, once
   * no write is pending, to whether a value is stored since (this one, or a
   * newer one that arrived meanwhile); a failed write is reported as usual.
   */
  async rewrite(publication: Publication): Promise<boolean> {
    this.#stored = undefined;
    this.persist(publication);
    await this.settled();
    return this.#stored !== undefined;
  }

  /** Resolves once no write is pending or in flight (for tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    for (let next = this.#pending; next !== undefined; next = this.#pending) {
      this.#pending = undefined;
      try {
        await this.storage.store(next);
        this.#stored = next;
      } catch (err) {
        // The value stays in memory and is still delivered; only its durability failed.
        this.report("store", asError(err));
      }
    }
    this.#writing = undefined;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
