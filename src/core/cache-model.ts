import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { CacheError, CacheSnapshot, CacheState, CachedValue, ValueSource } from "./cache-types.js";
import type { Clock } from "./clock.js";
import { samePublication } from "./same-publication.js";

/**
 * The one value a cache holds, its state and its last reported error — the
 * whole of a cache's memory, so it stays bounded. Every change replaces the
 * immutable snapshot and calls `onChange`; nothing changes after `close()`.
 */
export class CacheModel {
  #snapshot: CacheSnapshot = { value: undefined, state: { kind: "connecting" } };

  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void,
  ) {}

  get snapshot(): CacheSnapshot {
    return this.#snapshot;
  }

  get value(): CachedValue | undefined {
    return this.#snapshot.value;
  }

  get state(): CacheState {
    return this.#snapshot.state;
  }

  get closed(): boolean {
    return this.#snapshot.state.kind === "closed";
  }

  /**
   * Takes an (already validated) publication as the current value. A value
   * identical to the held one keeps the held object — so subscribers, who
   * compare by reference, never see it twice — and only advances
   * `lastConfirmedAt` when the server sent it. Returns whether the value changed.
   */
  commit(publication: Publication, source: ValueSource): boolean {
    if (this.closed) return false;
    const now = this.clock.now();
    const fromServer = source !== "storage";
    const held = this.#snapshot.value;
    if (held && samePublication(held.publication, publication)) {
      if (fromServer) this.confirm();
      return false;
    }
    const value: CachedValue = {
      publication,
      source,
      receivedAt: now,
      lastConfirmedAt: fromServer ? now : undefined,
    };
    this.#update({ value, lastError: fromServer ? undefined : this.#snapshot.lastError });
    return true;
  }

  /**
   * The server vouched for the held value at `at` (default now): the same
   * version seen, or a stream that told every change up to then. A time no
   * later than the last confirmation changes nothing.
   */
  confirm(at = this.clock.now()): void {
    const held = this.#snapshot.value;
    if (this.closed || !held) return;
    if (held.lastConfirmedAt !== undefined && held.lastConfirmedAt >= at) {
      if (this.#snapshot.lastError !== undefined) this.#update({ lastError: undefined });
      return;
    }
    this.#update({ value: { ...held, lastConfirmedAt: at }, lastError: undefined });
  }

  setState(state: CacheState): void {
    if (this.closed || sameState(this.#snapshot.state, state)) return;
    this.#update({ state });
  }

  /** Records a problem that the state does not show (a rejected value, a storage failure). */
  report(error: CacheError): void {
    if (this.closed) return;
    this.#update({ lastError: error });
  }

  /** Final state; every later change is ignored. */
  close(): void {
    if (this.closed) return;
    this.#update({ state: { kind: "closed" } });
  }

  #update(change: Partial<CacheSnapshot>): void {
    const next = { ...this.#snapshot, ...change };
    if (next.lastError === undefined) delete (next as { lastError?: CacheError }).lastError;
    this.#snapshot = next;
    this.onChange();
  }
}

function sameState(a: CacheState, b: CacheState): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "retrying" && b.kind === "retrying") {
    return a.nextAttemptAt === b.nextAttemptAt && a.lastError === b.lastError;
  }
  if (a.kind === "needs-auth" && b.kind === "needs-auth") return a.lastError === b.lastError;
  return true;
}
