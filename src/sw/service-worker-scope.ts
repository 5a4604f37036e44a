/**
 * `self` in a service worker: the WebWorker lib's `ServiceWorkerGlobalScope`.
 *
 * Spelled through `globalThis` rather than by name so that this package's
 * declarations load in any program. The DOM and WebWorker libs cannot be
 * loaded together (with `skipLibCheck` off, tsc reports hundreds of
 * conflicting declarations), and an app usually type-checks its pages with
 * the DOM lib; naming `ServiceWorkerGlobalScope` in a `.d.ts` would fail
 * there with "Cannot find name", even for code that only imports
 * {@link precacheAndHost}. In a program with the WebWorker lib this is
 * exactly `ServiceWorkerGlobalScope`; elsewhere it is
 * {@link WebWorkerLibRequired}, which nothing is assignable to, so calling
 * `hostPubCache(self)` from page code still fails to compile, with a name
 * that says why.
 */
export type ServiceWorkerScope = typeof globalThis extends { ServiceWorkerGlobalScope: { prototype: infer Scope } }
  ? Scope
  : WebWorkerLibRequired;

/**
 * {@link ServiceWorkerScope} in a program without the WebWorker lib. Type-check
 * the worker script on its own with `"lib": ["ES2022", "WebWorker"]` (see the
 * embedding guide) and declare `self` as `ServiceWorkerGlobalScope`.
 */
export interface WebWorkerLibRequired {
  readonly "type-check this worker with the WebWorker lib": never;
}
