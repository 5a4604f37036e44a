import type { WorkerProblem } from "../entries/index.js";

/** Where the dashboard's deployment guide says how to serve it over https and install the site's CA on a tablet. */
export const HTTPS_GUIDE = "README.md#https-and-kiosk-tablets";

/** What decides whether this screen can start offline; read from the browser by {@link readPageFacts}. */
export interface PageFacts {
  /** `isSecureContext`. */
  readonly isSecureContext: boolean;
  /** `location.href`. */
  readonly url: string;
  /** Whether `navigator.serviceWorker` exists. */
  readonly hasServiceWorker: boolean;
  /** The page client's `diagnostics.workerProblem`: why its registration failed, if it did. */
  readonly workerProblem: WorkerProblem | undefined;
}

/**
 * Whether the screen can start offline (a service worker holds its files
 * and hosts the cache), and if not, why:
 * - `insecure-context`: plain http by a name other than localhost. The
 *   browser has a service worker, Web Locks and persistent storage, but
 *   gives none to such a page. `httpsUrl` is this page's https address, or
 *   `undefined` when it cannot be told (the page is not on http);
 * - `certificate-not-trusted`: https, reached through a certificate
 *   warning; the browser refuses the worker;
 * - `unsupported`: a secure page in a browser without service workers;
 * - `registration-failed`: anything else (offline at the first visit, the
 *   script missing); the client registers again when the network is back.
 */
export type OfflineAvailability =
  | { readonly kind: "available" }
  | { readonly kind: "insecure-context"; readonly httpsUrl: string | undefined }
  | { readonly kind: "certificate-not-trusted"; readonly message: string }
  | { readonly kind: "unsupported" }
  | { readonly kind: "registration-failed"; readonly message: string };

/** Decides {@link OfflineAvailability} from the facts alone (no browser globals). */
export function offlineAvailability(facts: PageFacts): OfflineAvailability {
  if (!facts.isSecureContext) return { kind: "insecure-context", httpsUrl: httpsAddress(facts.url) };
  const problem = facts.workerProblem;
  if (problem?.kind === "certificate-not-trusted") return { kind: "certificate-not-trusted", message: problem.message };
  if (!facts.hasServiceWorker) return { kind: "unsupported" };
  if (problem?.kind === "registration-failed") return { kind: "registration-failed", message: problem.message };
  return { kind: "available" };
}

/**
 * This page's address over https: same host, path and query, and the same
 * port unless it is http's default (80, then https's 443). The development
 * server (`npm start -- --tls`) serves https on the port the dashboard had;
 * a site behind a proxy on 80 serves it on 443. `undefined` when the page
 * is not on http (nothing to swap).
 */
export function httpsAddress(pageUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" || !url.hostname) return undefined;
  // Port "" (80) stays "" and means 443; an explicit 443 becomes the default.
  url.protocol = "https:";
  return url.href;
}

/** The https address without its query and fragment ("…" marks that there were some): short enough for one line. */
function shortAddress(address: string): string {
  const url = new URL(address);
  const base = `${url.origin}${url.pathname}`;
  return url.search || url.hash ? `${base}…` : base;
}

/** What the screen and the diagnostics panel say about {@link OfflineAvailability}. */
export interface OfflineText {
  /**
   * One calm line on the screen, short enough for one line at 1280 px wide
   * (the why, the https address without its query, the guide); `undefined`:
   * nothing to say there.
   */
  readonly line: string | undefined;
  /** The diagnostics panel's "Service worker" row, in full; `undefined`: the row says what the worker does. */
  readonly worker: string | undefined;
  /** The "Persistent storage" row; `undefined`: the row gives the browser's answer. */
  readonly storage: string | undefined;
}

/** The words for each {@link OfflineAvailability}, on the screen (insecure context, untrusted certificate only) and in the panel. */
export function describeOfflineAvailability(availability: OfflineAvailability): OfflineText {
  switch (availability.kind) {
    case "insecure-context": {
      const { httpsUrl } = availability;
      if (httpsUrl === undefined) {
        return {
          line: `This page is not a secure context, so offline use is off. Open the site's https address (see ${HTTPS_GUIDE}).`,
          worker: `Off. This page is not a secure context; browsers allow offline use only on https pages. Open the site's https address (see ${HTTPS_GUIDE}).`,
          storage: "Not available: this page is not a secure context (https only)",
        };
      }
      return {
        line: `This page is on plain http, so offline use is off. Open ${shortAddress(httpsUrl)} (see ${HTTPS_GUIDE}).`,
        worker: `Off. This page is served over plain http; browsers allow offline use only over https. Open ${httpsUrl} (see ${HTTPS_GUIDE}).`,
        storage: "Not available over plain http: browsers grant it only over https",
      };
    }
    case "certificate-not-trusted":
      return {
        line: `This device does not trust the site's certificate, so offline use is off. Install its CA (see ${HTTPS_GUIDE}) and reload.`,
        worker: `Refused. This device does not trust the site's certificate (its CA is not installed), so offline use is off. Install the site's CA certificate — see ${HTTPS_GUIDE} — and reload. The browser said: ${availability.message}`,
        storage: undefined,
      };
    case "unsupported":
      return { line: undefined, worker: "Not available in this browser", storage: undefined };
    case "registration-failed":
      return { line: undefined, worker: `Registration failed (tried again when the network is back): ${availability.message}`, storage: undefined };
    case "available":
      return { line: undefined, worker: undefined, storage: undefined };
  }
}

/** The browser's facts for {@link offlineAvailability}, with the client's registration problem. */
export function readPageFacts(workerProblem: WorkerProblem | undefined): PageFacts {
  return {
    isSecureContext: globalThis.isSecureContext === true,
    url: location.href,
    hasServiceWorker: globalThis.navigator?.serviceWorker !== undefined,
    workerProblem,
  };
}
