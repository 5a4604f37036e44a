/**
 * Why the cache's service worker does not run for this page:
 * - `insecure-context`: the page is not a secure context (plain http by a
 *   name other than `localhost`): browsers give it no service worker, no Web
 *   Locks and no persistent storage;
 * - `certificate-not-trusted`: the page is https, but was reached through a
 *   certificate warning (the site's CA is not installed on the device), and
 *   the browser refused to register a worker from it;
 * - `unsupported`: a secure page in a browser without service workers
 *   (some private modes and embedded web views);
 * - `registration-failed`: any other registration failure (offline at the
 *   first visit, the script not found, a policy): the page client registers
 *   again when the network comes back.
 *
 * In every case the cache still runs, in one elected tab (see the README's
 * "No service worker? Same behaviour"); what is lost is offline start-up.
 */
export type WorkerProblemKind = "insecure-context" | "certificate-not-trusted" | "unsupported" | "registration-failed";

/** Why no service worker hosts the cache for this page, as `diagnostics.workerProblem` reports it. */
export interface WorkerProblem {
  /** What keeps the worker away (see {@link WorkerProblemKind}). */
  readonly kind: WorkerProblemKind;
  /** The browser's registration error (`"SecurityError: …"`), or a sentence of ours where nothing was tried. */
  readonly message: string;
}

/** What the page knows before it tries to register: read from the browser, passed in by tests. */
export interface WorkerContext {
  /** `globalThis.isSecureContext`. */
  readonly isSecureContext: boolean;
  /** Whether `navigator.serviceWorker` exists (browsers leave it out of insecure pages). */
  readonly hasServiceWorker: boolean;
}

/** The problem that keeps a worker from even being tried, or `undefined` when registering may go ahead. */
export function problemBeforeRegistration(context: WorkerContext): WorkerProblem | undefined {
  if (!context.isSecureContext) {
    return { kind: "insecure-context", message: "Not a secure context (plain http by a name other than localhost): browsers allow service workers only over https" };
  }
  if (!context.hasServiceWorker) return { kind: "unsupported", message: "This browser has no service workers (navigator.serviceWorker is missing)" };
  return undefined;
}
