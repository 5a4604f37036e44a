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
 * Only the newest message is held: once it holds, the previous hold ends
 * (the worker lives as long as any event is pending, and the newest one
 * lasts longest). Holding every message to its end kept one pending event,
 * timer and promise chain per heartbeat — 90 with three tabs — and one idle
 * waiter per message for as long as streams ran (the worker memory
 * benchmark's heap snapshots showed both).
 *
 * But a pending event also blocks a new version: Chromium activates a
 * waiting worker (even after `skipWaiting()`) only once the old one has no
 * event in flight, or after minutes. So when a successor is installed and
 * waiting, the hold is released and no new one is taken; the pages'
 * heartbeats alone (each an event that resets the idle timer) keep this
 * worker up until the successor takes over.
 */
export function createLifetimeHolds(
  scope: ServiceWorkerGlobalScope,
  whenIdle: () => Promise<void>,
  maxMs: number,
): { hold(event: ExtendableEvent): void } {
  let current: (() => void) | undefined;
  let watchedIdle: Promise<void> | undefined;
  let successorWaiting = false;

  const releaseCurrent = () => current?.();

  const self = (scope as { serviceWorker?: ServiceWorker }).serviceWorker;
  const watch = (candidate: ServiceWorker | null) => {
    // Without `scope.serviceWorker` (older engines) a worker cannot tell its
    // successor from itself: keep holding; activation then waits for the holds.
    if (!candidate || !self || candidate === self) return;
    const check = () => {
      if (candidate.state === "installed") {
        successorWaiting = true;
        releaseCurrent();
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
      const previous = current;
      event.waitUntil(
        new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            if (current === release) current = undefined;
            resolve();
          };
          const timer = setTimeout(release, maxMs);
          current = release;
        }),
      );
      // The new event is pending now: the older one may end.
      previous?.();
      // One reaction per busy period, not one per message (a promise's reactions stay until it settles).
      const idle = whenIdle();
      if (idle !== watchedIdle) {
        watchedIdle = idle;
        void idle.then(() => {
          if (watchedIdle === idle) watchedIdle = undefined;
          releaseCurrent();
        });
      }
    },
  };
}
