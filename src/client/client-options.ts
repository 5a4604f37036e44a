import type { Logger } from "../core/logger.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";

/** Options of {@link createPubCacheClient}. */
export interface PubCacheClientOptions {
  /** Base URL of the publication server, e.g. `https://bms.example` (gRPC-Web, CORS open). */
  readonly server: string;
  /** Smart Core device name of the publication server (the `name` of every request); may be empty. */
  readonly device: string;
  /**
   * Keeps this cache apart from others on the same server and device — e.g.
   * one partition per signed-in user, so `clear()` on sign-out wipes only
   * theirs. Default: the empty (shared) partition.
   */
  readonly partition?: string;
  /**
   * URL of the service worker script to register (it must call
   * `hostPubCache(self)`), or `false` to never use a worker (the cache then
   * runs in one elected tab). Default `"/sw.js"`.
   */
  readonly serviceWorker?: string | URL | false;
  /**
   * Supplies a bearer token for the server, when it needs one. Called at
   * start-up and whenever the host reports `needs-auth`; return `undefined`
   * when there is none (yet). The token goes to the host's memory only.
   */
  readonly getToken?: (server: string) => string | undefined | Promise<string | undefined>;
  /** How often the page tells the host it is still there (and restarts a stopped worker). Default 5 000 ms. */
  readonly heartbeatMs?: number;
  /**
   * Engine timing. `pollIntervalMs` is this client's poll interval for a
   * server that does not stream (the database-backed server of a real
   * site): default 60 000 ms, each poll ± 20 % so screens do not poll in
   * lock-step; a screen that must show notices faster sets less, at a
   * cost to the server in proportion. The backoff bounds are for tests and
   * demos: the defaults (10 s → 30 s) suit production.
   */
  readonly tuning?: EngineTuning;
  /**
   * This screen's Smart Core name (the `audience.name` the server addresses
   * publications to). When set, the screen tells the server which version
   * of each publication addressed to it it shows (AcknowledgePublication):
   * see `receipts`. Default: none (no acknowledgements).
   */
  readonly screen?: string;
  /**
   * With `screen`: `"auto"` (default) acknowledges `accepted` once every
   * callback of a `subscribe` got the value without throwing, and
   * `rejected` (with the error's message) when one threw; `"manual"` leaves
   * it to `acknowledge()` (e.g. after an asynchronous render, or to reject a
   * body that parsed but cannot be shown).
   */
  readonly receipts?: "auto" | "manual";
  /** IndexedDB database name; must match the host's. Default the shared `pubcache` database. */
  readonly databaseName?: string;
  readonly logger?: Logger;
}
