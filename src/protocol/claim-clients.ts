/**
 * What an uncontrolled page posts to the active worker to be claimed (a
 * plain Workbox-style control message, like `SKIP_WAITING`, not an envelope).
 * Its own module: only the worker and the page's registration chunk use it.
 */
export const CLAIM_CLIENTS_TYPE = "CLAIM_CLIENTS";
