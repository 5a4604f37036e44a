import type { Logger } from "../core/logger.js";
import { CLAIM_CLIENTS_TYPE } from "../protocol/messages.js";
import { problemBeforeRegistration, problemOfRegistration, type WorkerProblem } from "./worker-problem.js";

export interface WorkerRegistration {
  /** The worker controlling this page now, if any: the one to post messages to. */
  controller(): ServiceWorker | undefined;
  close(): void;
}

/** What {@link registerCacheWorker} tells its caller. */
export interface WorkerRegistrationEvents {
  /** The page's controller changed (a worker took over, or the registration was removed). */
  readonly onControllerChange: () => void;
  /**
   * Why no worker can serve this page: called at once where workers cannot be
   * used (insecure context, unsupported), after a failed registration (a
   * certificate the device does not trust, offline, blocked), and with
   * `undefined` once a later registration succeeds.
   */
  readonly onProblem: (problem: WorkerProblem | undefined) => void;
  readonly logger?: Logger | undefined;
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
  const { onControllerChange, onProblem, logger } = events;
  const container = globalThis.navigator?.serviceWorker;
  const isSecureContext = globalThis.isSecureContext === true;
  const unusable = problemBeforeRegistration({ isSecureContext, hasServiceWorker: container !== undefined });
  if (unusable || !container) {
    onProblem(unusable);
    return undefined;
  }
  // A tab whose navigation started before the worker activated and finished
  // after the worker's clients.claim() was skipped by that claim (a page
  // still loading cannot be claimed) and stays uncontrolled: ask again.
  const claimIfLate = (registration: ServiceWorkerRegistration | undefined) => {
    if (!container.controller && registration?.active?.state === "activated") {
      registration.active.postMessage({ type: CLAIM_CLIENTS_TYPE });
    }
  };
  let closed = false;
  let retryWhenOnline = false;
  const register = () => {
    // workbox-window comes with its own chunk, not with the page: the
    // registration waits for the window's load event either way. A chunk
    // that cannot be fetched fails the registration like a script that
    // cannot be: retried when the network is back.
    import("./workbox-registration.js")
      .then(({ registerWithWorkbox }) => registerWithWorkbox(String(url), () => void container.getRegistration(String(url)).then(claimIfLate)))
      .then((registration) => {
        if (!closed) onProblem(undefined);
        claimIfLate(registration);
      })
      .catch((error: unknown) => {
        logger?.warn("service worker registration failed", { error: String(error) });
        retryWhenOnline = true;
        if (!closed) onProblem(problemOfRegistration(error, { isSecureContext }));
      });
  };
  const onChange = () => {
    if (!container.controller && !closed) {
      logger?.warn("the service worker was removed while the page runs; registering it again");
      register();
    }
    onControllerChange();
  };
  const onOnline = () => {
    if (!retryWhenOnline || closed || container.controller) return;
    retryWhenOnline = false;
    register();
  };
  container.addEventListener("controllerchange", onChange);
  globalThis.addEventListener?.("online", onOnline);
  register();
  return {
    controller: () => container.controller ?? undefined,
    close() {
      closed = true;
      container.removeEventListener("controllerchange", onChange);
      globalThis.removeEventListener?.("online", onOnline);
    },
  };
}
