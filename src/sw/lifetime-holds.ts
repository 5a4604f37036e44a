/// <reference lib="webworker" />

/**
 * Keeps the worker alive while it streams, and lets go when a new version
 * waits to take over.
 *
 * Streams must be read inside an event's `waitUntil`, or the browser stops
 * an otherwise idle worker after 30 s even mid-stream. Each accepted message
 * (a heartbeat every few seconds) is held until the engines stop or `maxMs`
 * passes — by then the next heartbeat has extended it again, so no single
 * event stays pending for ever.
 *
 * But a pending event also blocks a new version: Chromium activates a
 * waiting worker (even after `skipWaiting()`) only once the old one has no
 * event in flight, or after minutes. So when a successor is installed and
 * waiting, every hold is released and no new one is taken; the pages'
 * heartbeats alone (each an event that resets the idle timer) keep this
 * worker up until the successor takes over.
 */
export function createLifetimeHolds(
  scope: ServiceWorkerGlobalScope,
  whenIdle: () => Promise<void>,
  maxMs: number,
): { hold(event: ExtendableEvent): void } {
  const releases = new Set<() => void>();
  let successorWaiting = false;

  const releaseAll = () => {
    for (const release of releases) release();
    releases.clear();
  };

  const self = (scope as { serviceWorker?: ServiceWorker }).serviceWorker;
  const watch = (candidate: ServiceWorker | null) => {
    // Without `scope.serviceWorker` (older engines) a worker cannot tell its
    // successor from itself: keep holding; activation then waits for the holds.
    if (!candidate || !self || candidate === self) return;
    const check = () => {
      if (candidate.state === "installed") {
        successorWaiting = true;
        releaseAll();
      } else if (candidate.state === "redundant") {
        successorWaiting = false;
      }
    };
    candidate.addEventListener("statechange", check);
    check();
  };
  const registration = scope.registration;
  registration?.addEventListener?.("updatefound", () => watch(registration.installing));
  watch(registration?.waiting ?? null);

  return {
    hold(event) {
      if (successorWaiting) return;
      event.waitUntil(
        new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            releases.delete(release);
            resolve();
          };
          const timer = setTimeout(release, maxMs);
          releases.add(release);
          void whenIdle().then(release);
        }),
      );
    },
  };
}
