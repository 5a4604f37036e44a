import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { AuthState } from "./auth-state.js";

/**
 * A provider's current {@link AuthState} and its listeners. A listener that
 * throws is logged and does not stop the others. `nextChange` lets a caller
 * wait (on the injected clock) for whatever happens next.
 */
export class StateHolder {
  #state: AuthState = { kind: "signed-out" };
  readonly #listeners = new Set<(state: AuthState) => void>();
  readonly #waiters = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get state(): AuthState {
    return this.#state;
  }

  set(next: AuthState): void {
    this.#state = next;
    for (const wake of [...this.#waiters]) wake();
    for (const listener of [...this.#listeners]) {
      try {
        listener(next);
      } catch (error) {
        this.logger.error("auth state listener failed", { error: error instanceof Error ? error.name : "unknown" });
      }
    }
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Resolves at the next `set`, or after `ms` (clock time), whichever is first. */
  nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        cancel();
        this.#waiters.delete(done);
        resolve();
      };
      const cancel = this.clock.setTimer(Math.max(0, ms), done);
      this.#waiters.add(done);
    });
  }

  /** Drops every listener and wakes every waiter. */
  close(): void {
    this.#listeners.clear();
    for (const wake of [...this.#waiters]) wake();
  }
}
