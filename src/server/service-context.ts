import type { Clock } from "../core/clock.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../core/publication-storage.js";
import type { FaultState } from "./faults.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { PublicationStore } from "./publication-store.js";
import type { VersionHistory } from "./version-history.js";

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
  /** Whether each streaming RPC streams, or answers UNIMPLEMENTED (and why: switched off, or imitating a database-backed server). */
  readonly streaming: { readonly pullPublication: StreamingMode; readonly pullPublications: StreamingMode };
  /** The version a newly written publication gets: the reference's content digest, or a random UUID (db-like). */
  readonly mintVersion: (publication: Publication) => string;
  readonly faults: FaultState;
  /** Every past version of each publication (`--db-like` only): every write is recorded here too. */
  readonly history: VersionHistory | undefined;
  /** Mints an id for a publication created without one. */
  readonly newId: () => string;
}

/** `on` streams; `off` and `db-like` answer UNIMPLEMENTED (worded as our flag, or as the database-backed server). */
export type StreamingMode = "on" | "off" | "db-like";
