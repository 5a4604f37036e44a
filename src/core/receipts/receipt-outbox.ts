import type { CacheError } from "../cache-types.js";

/** What a screen tells the server about the version it shows. */
export type ReceiptKind = "accepted" | "rejected";

/** A screen's acknowledgement of one version of one publication. */
export interface ReceiptRequest {
  /** The Smart Core device name of the publication server (the `name` of the call). */
  readonly device: string;
  readonly id: string;
  readonly version: string;
  /**
   * The version's publish time (ms), when it has one: identical content
   * re-published keeps its version string but gets a new publish time and a
   * fresh `NO_SIGNAL`, and must be acknowledged again.
   */
  readonly publishTimeMs: number | undefined;
  readonly receipt: ReceiptKind;
  /** Why it cannot be shown (`rejected` only); kept short. */
  readonly reason?: string;
}

/**
 * Where an acknowledgement stands:
 * - `pending`: waiting to be sent (offline, or between retries);
 * - `sent`: the server took it; kept a while so it is never sent twice;
 * - `refused`: the server does not allow this screen to acknowledge
 *   (PERMISSION_DENIED); tried again only with new credentials or rarely.
 */
export type ReceiptStatus = "pending" | "sent" | "refused";

export interface OutboxEntry extends ReceiptRequest {
  /** One entry per device × id × version × publish time × receipt. */
  readonly key: string;
  readonly status: ReceiptStatus;
  /** When the status last changed (clock ms). */
  readonly updatedAt: number;
  readonly lastError?: CacheError;
}

/**
 * Where acknowledgements wait — persisted, so one made offline survives a
 * reload or a worker restart and is sent once the server is back. Hosts
 * keep it in IndexedDB; a memory one suits tests and Node.
 */
export interface ReceiptOutbox {
  list(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The outbox key of a request: the same acknowledgement asked for twice is one entry. */
export function receiptKey(request: ReceiptRequest): string {
  return JSON.stringify([request.device, request.id, request.version, request.publishTimeMs ?? null, request.receipt]);
}

/** An outbox that lives as long as the object (tests, Node consumers without persistence). */
export function createMemoryReceiptOutbox(): ReceiptOutbox {
  const entries = new Map<string, OutboxEntry>();
  return {
    list: async () => [...entries.values()],
    put: async (entry) => void entries.set(entry.key, entry),
    delete: async (key) => void entries.delete(key),
  };
}
