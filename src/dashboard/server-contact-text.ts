import type { ServerContact } from "../entries/index.js";
import type { TimeFormat } from "./time-format.js";

/**
 * Whether this page can know what the server says now: `offline` once the
 * host lost the server (a call got no answer) or the browser has no
 * network, with `since` the time the host last heard it — the same time
 * the dashboard's banner says (screen-status.ts) — or `undefined` when it
 * never heard it.
 */
export type ContactStatus =
  | { readonly kind: "unknown" }
  | { readonly kind: "answering"; readonly heardAt: number }
  | { readonly kind: "offline"; readonly since: number | undefined };

export function contactStatus(contact: ServerContact | undefined, browserOnline: boolean): ContactStatus {
  if (!browserOnline || contact?.lostAt !== undefined) return { kind: "offline", since: contact?.heardAt };
  if (contact?.heardAt !== undefined) return { kind: "answering", heardAt: contact.heardAt };
  return { kind: "unknown" };
}

/** The one wording of the fact, for banners and diagnostics: "Offline since 10:42", "Answering (last heard now)". */
export function describeContact(status: ContactStatus, now: number, time: TimeFormat): string {
  switch (status.kind) {
    case "unknown":
      return "Not heard from yet";
    case "answering":
      return `Answering (last heard ${time.relative(status.heardAt, now)})`;
    case "offline":
      return status.since === undefined ? "Offline (not heard from since this device started)" : `Offline since ${time.clock(status.since, now)} (${time.relative(status.since, now)})`;
  }
}
