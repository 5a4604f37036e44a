// The ES2017 build, not the ES5 one the package points bundlers at (see workbox-window-build.d.ts).
import { Workbox } from "workbox-window/build/workbox-window.prod.mjs";

/**
 * Registers the worker at `url` once through workbox-window: a new version
 * that is waiting takes over at once (`messageSkipWaiting`), and
 * `onActivated` runs when a worker of this registration activates.
 * Resolves to the registration, as `Workbox.register` does (after the
 * window's `load` event).
 *
 * Its own module so that `worker-registration.ts` can load it with
 * `import()`: workbox-window is then not part of the page's first load —
 * Workbox registers only after `load` anyway, and no value waits for it.
 */
export function registerWithWorkbox(url: string, onActivated: () => void): Promise<ServiceWorkerRegistration | undefined> {
  // A Workbox instance registers once: each registration gets a new one.
  const workbox = new Workbox(url);
  workbox.addEventListener("waiting", () => workbox.messageSkipWaiting());
  workbox.addEventListener("activated", onActivated);
  return workbox.register();
}
