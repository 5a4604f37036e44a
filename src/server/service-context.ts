import type { Clock } from "../core/clock.js";
import type { PublicationStorage } from "../core/publication-storage.js";
import type { FaultState } from "./faults.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { PublicationStore } from "./publication-store.js";

/** What the RPC handlers work with; built once per server. */
export interface ServiceContext {
  /** The publications in memory and their change feed. */
  readonly store: PublicationStore;
  /** The data directory: every change is written here before it is applied in memory. */
  readonly storage: PublicationStorage;
  /** Serialises writes per publication id. */
  readonly locks: KeyedLock;
  readonly clock: Clock;
  /** This server's device name; `undefined` answers every name. */
  readonly device: string | undefined;
  /** False: PullPublication and PullPublications answer UNIMPLEMENTED. */
  readonly pull: boolean;
  readonly faults: FaultState;
  /** Mints an id for a publication created without one. */
  readonly newId: () => string;
}
