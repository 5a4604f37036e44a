import type { Clock } from "../core/clock.js";
import { refKey } from "../protocol/ref-keys.js";
import type { PublicationRef } from "../protocol/publication-ref.js";
import type { TokenKeeper } from "./host-types.js";

/** How long a new host keeps quiet about refused credentials while no page has handed it a token yet. */
export const TOKEN_GRACE_MS = 3_000;

/**
 * A host that just started (a worker the browser restarted) has no token
 * yet: its first calls are refused before any page could hand one over.
 * Pages answer within moments; showing "sign-in needed" meanwhile would
 * flash. So for {@link TOKEN_GRACE_MS} after start, a `needs-auth` of a
 * server without a token is held back, and told only if it still stands.
 */
export class TokenGrace {
  readonly #startedAt: number;
  readonly #heldBack = new Map<string, () => void>();

  constructor(
    private readonly clock: Clock,
    private readonly tokens: TokenKeeper,
  ) {
    this.#startedAt = clock.now();
  }

  /** True when `ref`'s `needs-auth` is held back now; `later` runs when the grace ends. */
  holdBack(ref: PublicationRef, later: () => void): boolean {
    const graceLeft = this.#startedAt + TOKEN_GRACE_MS - this.clock.now();
    if (this.tokens.get(ref.server) !== undefined || graceLeft <= 0) return false;
    const key = refKey(ref);
    this.#heldBack.get(key)?.();
    this.#heldBack.set(
      key,
      this.clock.setTimer(graceLeft, () => {
        this.#heldBack.delete(key);
        later();
      }),
    );
    return true;
  }

  close(): void {
    for (const cancel of this.#heldBack.values()) cancel();
    this.#heldBack.clear();
  }
}
