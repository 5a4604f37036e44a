import type { Clock } from "../core/clock.js";

/**
 * How long each tab's claims live without a message from it: every message
 * starts its lease again; one that runs out calls `expired` (the tab
 * crashed or froze). A tab seen for the first time is `new` to this host.
 */
export class ClientLeases {
  readonly #leases = new Map<string, () => void>();

  constructor(
    private readonly clock: Clock,
    private readonly leaseMs: number,
    private readonly expired: (clientId: string) => void,
  ) {}

  /** Starts `clientId`'s lease again; true when this host had not heard of it (or its lease had ended). */
  touch(clientId: string): boolean {
    const known = this.#leases.has(clientId);
    this.#leases.get(clientId)?.();
    this.#leases.set(
      clientId,
      this.clock.setTimer(this.leaseMs, () => {
        this.#leases.delete(clientId);
        this.expired(clientId);
      }),
    );
    return !known;
  }

  /** The tab left: its lease ends without expiring. */
  end(clientId: string): void {
    this.#leases.get(clientId)?.();
    this.#leases.delete(clientId);
  }

  close(): void {
    for (const cancel of this.#leases.values()) cancel();
    this.#leases.clear();
  }
}
