import type { WorkerRegistrationEvents } from "./keep-worker-registered.js";
import { problemBeforeRegistration } from "./worker-problem.js";

export type { WorkerRegistrationEvents } from "./keep-worker-registered.js";

export interface WorkerRegistration {
  /** The worker controlling this page now, if any: the one to post messages to. */
  controller(): ServiceWorker | undefined;
  close(): void;
}

/**
 * Registers the cache's service worker through workbox-window, or returns
 * `undefined` where workers cannot be used (unsupported, insecure origin),
 * after telling `onProblem` why. A registration that fails later (a
 * certificate error, blocked by policy) just never controls the page: the
 * caller hears why through `onProblem` and stays on the leader-tab fallback.
 *
 * Updates: when a new version is waiting we let it take over at once
 * (`messageSkipWaiting`). The page is never reloaded for it — the client just
 * posts to the new controller from then on — so there is no reload loop.
 *
 * A registration removed while the page runs ("Clear site data" with
 * service workers, an unregister from DevTools: the controller becomes
 * `null`) is registered again at once, or when the network is back if the
 * script cannot be fetched now, so the page is controlled — and can boot
 * offline — again without a reload.
 */
export function registerCacheWorker(url: string | URL, events: WorkerRegistrationEvents): WorkerRegistration | undefined {
  const { onProblem, logger } = events;
  const container = globalThis.navigator?.serviceWorker;
  const isSecureContext = globalThis.isSecureContext === true;
  const unusable = problemBeforeRegistration({ isSecureContext, hasServiceWorker: container !== undefined });
  if (unusable || !container) {
    onProblem(unusable);
    return undefined;
  }
  const controllerAtStart = container.controller;
  let closed = false;
  let stopKeeping: (() => void) | undefined;
  // Registering (workbox-window, the retries, the controller's changes)
  // comes with its own chunk: see keep-worker-registered.ts.
  const keep = () =>
    import("./keep-worker-registered.js").then(
      ({ keepWorkerRegistered }) => {
        if (!closed) stopKeeping = keepWorkerRegistered(String(url), container, events, { isSecureContext, controllerAtStart });
      },
      (error: unknown) => {
        // That chunk could not be fetched (offline, on a page no worker
        // serves): a registration that failed, tried again when online.
        logger?.warn("service worker registration failed", { error: String(error) });
        if (closed) return;
        onProblem({ kind: "registration-failed", message: String(error).slice(0, 500) });
        globalThis.addEventListener?.("online", () => void (closed || keep()), { once: true });
      },
    );
  // Fetched once the page has loaded, as Workbox would wait for anyway: it
  // never competes with the first paint (a controller change meanwhile is
  // caught up when it runs).
  if (globalThis.document === undefined || globalThis.document.readyState === "complete") void keep();
  else globalThis.addEventListener("load", () => void (closed || keep()), { once: true });
  return {
    controller: () => container.controller ?? undefined,
    close() {
      closed = true;
      stopKeeping?.();
    },
  };
}
