import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";

/**
 * What the feed knows of every publication of the device — wanted or not —
 * as metadata (no bodies), so a publication a page asks for later is
 * answered without a new stream, and a reconnect can tell what changed.
 * Bounded by the device's size: one small record per publication.
 *
 * Each (re)connect starts a generation: entries the new stream re-announces
 * are current; the others may have been deleted while we were away.
 */
export class DeviceIndex {
  readonly #entries = new Map<string, { meta: Publication; generation: number }>();
  #generation = 0;

  /** `changed` is called after every change of what the index holds. */
  constructor(private readonly changed: () => void = () => undefined) {}

  /** Every publication's metadata, sorted by id. */
  metadata(): Publication[] {
    return [...this.#entries.values()].map((entry) => entry.meta).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): Publication | undefined {
    return this.#entries.get(id)?.meta;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** A new stream opened: what it announces from now on is current. */
  beginGeneration(): void {
    this.#generation++;
  }

  set(id: string, meta: Publication): void {
    this.#entries.set(id, { meta, generation: this.#generation });
    this.changed();
  }

  delete(id: string): boolean {
    const deleted = this.#entries.delete(id);
    if (deleted) this.changed();
    return deleted;
  }

  /** True when the current stream has announced `id`. */
  current(id: string): boolean {
    return this.#entries.get(id)?.generation === this.#generation;
  }

  /** Ids known from an earlier stream only. */
  staleIds(): string[] {
    return [...this.#entries].filter(([, entry]) => entry.generation !== this.#generation).map(([id]) => id);
  }

  /** Replaces everything with a complete listing (polling). */
  replaceAll(metas: readonly Publication[]): void {
    this.#entries.clear();
    for (const meta of metas) this.#entries.set(meta.id, { meta, generation: this.#generation });
    this.changed();
  }
}
