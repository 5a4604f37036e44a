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
   * Engine timing (backoff bounds, poll interval). For tests and demos; the
   * defaults (10 s → 30 s backoff, 5 min polling) suit production.
   */
  readonly tuning?: EngineTuning;
  /** IndexedDB database name; must match the host's. Default the shared `pubcache` database. */
  readonly databaseName?: string;
  readonly logger?: Logger;
}
