// The ES2017 build, not the ES5 one the package points bundlers at (see workbox-window-build.d.ts).
import { Workbox } from "workbox-window/build/workbox-window.prod.mjs";
import type { Logger } from "../core/logger.js";
import { CLAIM_CLIENTS_TYPE } from "../protocol/messages.js";

export interface WorkerRegistration {
  /** The worker controlling this page now, if any: the one to post messages to. */
  controller(): ServiceWorker | undefined;
  close(): void;
}

/**
 * Registers the cache's service worker through workbox-window, or returns
 * `undefined` where workers cannot be used (unsupported, insecure origin).
 * A registration that fails later (blocked by policy) just never controls the
 * page, and the caller stays on the leader-tab fallback.
 *
 * Updates: when a new version is waiting we let it take over at once
 * (`messageSkipWaiting`). The page is never reloaded for it — the client just
 * posts to the new controller from then on — so there is no reload loop.
 */
export function registerCacheWorker(
  url: string | URL,
  onControllerChange: () => void,
  logger: Logger | undefined,
): WorkerRegistration | undefined {
  const container = globalThis.navigator?.serviceWorker;
  if (!container || !globalThis.isSecureContext) return undefined;
  const workbox = new Workbox(String(url));
  workbox.addEventListener("waiting", () => workbox.messageSkipWaiting());
  container.addEventListener("controllerchange", onControllerChange);
  // A tab whose navigation started before the worker activated and finished
  // after the worker's clients.claim() was skipped by that claim (a page
  // still loading cannot be claimed) and stays uncontrolled: ask again.
  const claimIfLate = (registration: ServiceWorkerRegistration | undefined) => {
    if (!container.controller && registration?.active?.state === "activated") {
      registration.active.postMessage({ type: CLAIM_CLIENTS_TYPE });
    }
  };
  workbox.addEventListener("activated", () => void container.getRegistration(String(url)).then(claimIfLate));
  workbox
    .register()
    .then(claimIfLate)
    .catch((error: unknown) => logger?.warn("service worker registration failed", { error: String(error) }));
  return {
    controller: () => container.controller ?? undefined,
    close: () => container.removeEventListener("controllerchange", onControllerChange),
  };
}
