// The ES2017 build, not the ES5 one the package points bundlers at (see workbox-window-build.d.ts).
import { Workbox } from "workbox-window/build/workbox-window.prod.mjs";
import type { Logger } from "../core/logger.js";
import { CLAIM_CLIENTS_TYPE } from "../protocol/claim-clients.js";
import { problemOfRegistration } from "./registration-problem.js";
import type { WorkerProblem } from "./worker-problem.js";

/** What `registerCacheWorker` (worker-registration.ts) tells its caller. */
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
 * Registers the cache's worker through workbox-window and keeps it
 * registered; returns the function that stops listening. The second half
 * of `registerCacheWorker` (see there for the contract), in its own chunk,
 * loaded after the window's load event (when Workbox would register
 * anyway): no value waits for a worker, so none of this is in a page's
 * first load.
 *
 * `controllerAtStart` is the page's controller when `registerCacheWorker`
 * ran: a change while this chunk loaded is told to the caller at once.
 */
export function keepWorkerRegistered(
  url: string,
  container: ServiceWorkerContainer,
  events: WorkerRegistrationEvents,
  context: { readonly isSecureContext: boolean; readonly controllerAtStart: ServiceWorker | null },
): () => void {
  const { onControllerChange, onProblem, logger } = events;
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
  // A Workbox instance registers once: each registration gets a new one.
  const register = () => {
    const workbox = new Workbox(url);
    workbox.addEventListener("waiting", () => workbox.messageSkipWaiting());
    workbox.addEventListener("activated", () => void container.getRegistration(url).then(claimIfLate));
    workbox
      .register()
      .then((registration) => {
        if (!closed) onProblem(undefined);
        claimIfLate(registration);
      })
      .catch((error: unknown) => {
        logger?.warn("service worker registration failed", { error: String(error) });
        retryWhenOnline = true;
        if (!closed) onProblem(problemOfRegistration(error, { isSecureContext: context.isSecureContext }));
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
  if (container.controller !== context.controllerAtStart) onControllerChange();
  return () => {
    closed = true;
    container.removeEventListener("controllerchange", onChange);
    globalThis.removeEventListener?.("online", onOnline);
  };
}
