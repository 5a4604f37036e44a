import { clone } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../publication-storage.js";
import { StorageError } from "../storage-error.js";

/**
 * An in-memory PublicationStorage for cache tests, with failure injection and
 * a log of every write. (The real memory storage lives in src/storage; this
 * one exists to make storage misbehave on cue.)
 */
export class FakeStorage implements PublicationStorage {
  readonly #values = new Map<string, Publication>();
  /** Every successful store, in order. */
  readonly writes: Publication[] = [];
  /** When set, `load` fails with it. */
  loadFailure: Error | undefined;
  /** When set, `store` fails with it (the value is not kept). */
  storeFailure: Error | undefined;

  constructor(...initial: Publication[]) {
    for (const publication of initial) this.#values.set(publication.id, clone(PublicationSchema, publication));
  }

  async load(id: string): Promise<Publication> {
    if (this.loadFailure) throw this.loadFailure;
    const value = this.#values.get(id);
    if (!value) throw new StorageError("not-found", `no stored publication ${id}`);
    return clone(PublicationSchema, value);
  }

  async store(publication: Publication): Promise<void> {
    if (publication.id === "") throw new StorageError("invalid", "empty id");
    if (this.storeFailure) throw this.storeFailure;
    this.#values.set(publication.id, clone(PublicationSchema, publication));
    this.writes.push(clone(PublicationSchema, publication));
  }

  async list(): Promise<string[]> {
    return [...this.#values.keys()];
  }

  async delete(id: string): Promise<boolean> {
    return this.#values.delete(id);
  }

  /** The stored value, bypassing failure injection. */
  peek(id: string): Publication | undefined {
    return this.#values.get(id);
  }
}
