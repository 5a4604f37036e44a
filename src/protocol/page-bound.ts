import { HOST_REPORT_TYPES, named } from "./message-spec.js";
import type { ToPageMessage } from "./messages.js";
import type { Untrusted } from "./validate.js";

// The host's half of message-spec.ts's lists, in its own module: pages
// load the whole of a module they share with the host, what only the host
// uses of it included.

/** The types of page-bound messages at run time, without their validators (see `message-spec.ts`). */
const PAGE_BOUND: { readonly [T in ToPageMessage["type"]]: true } = {
  "snapshot": true,
  "state": true,
  "token-request": true,
  "cleared": true,
  "host-ready": true,
  "device": true,
  ...HOST_REPORT_TYPES,
};

/** True when `raw` names a page-bound message type of this version (well-formed or not): "not for me" to a host. */
export const isPageBound = (raw: Untrusted): boolean => named(raw, PAGE_BOUND);
