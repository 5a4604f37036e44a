import type { CacheError, CacheErrorCode } from "../entries/index.js";

/**
 * Errors in words a person understands, with the code beside for whoever
 * looks further: "Cannot reach the server (unavailable)" rather than
 * "unknown: Failed to fetch". One place for every sentence, so the
 * diagnostics panel (and whatever else shows an error) says one thing for
 * one cause.
 */
export interface ErrorText {
  /** The plain sentence with the code beside: "Cannot reach the server (unavailable)". */
  readonly text: string;
  /** The code shown beside the sentence. */
  readonly code: string;
  /** What was reported, word for word ("unknown: Failed to fetch"), for a tooltip. */
  readonly raw: string;
}

/** Sentences per code. A closed record: a new code does not compile until it has its words. */
const SENTENCES: Readonly<Record<CacheErrorCode, string>> = {
  canceled: "The request was cancelled",
  unknown: "The server or the network failed in an unexpected way",
  invalid_argument: "The server refused the request as invalid",
  deadline_exceeded: "The server took too long to answer",
  not_found: "The server does not have this publication",
  already_exists: "The server already has this",
  permission_denied: "This screen is not allowed to see this",
  resource_exhausted: "The server is too busy or a limit was reached",
  failed_precondition: "The server cannot do this in its present state",
  aborted: "The server broke off the request",
  out_of_range: "The request asked for something out of range",
  unimplemented: "The server does not offer this service",
  internal: "The server had an internal error",
  unavailable: "Cannot reach the server",
  data_loss: "The server lost data",
  unauthenticated: "Sign-in needed: the server does not know this screen",
  "invalid-publication": "The server sent a publication this screen cannot use",
  "stream-ended": "The server ended the live connection",
  "stream-stalled": "The live connection stopped delivering",
  "storage-not-found": "Nothing is stored for this on this device",
  "storage-invalid": "Stored data on this device could not be used",
  "storage-corrupt": "Stored data on this device is damaged",
  "storage-quota-exceeded": "This device's storage for the site is full",
  "storage-blocked": "Storage is held up by another tab of this site",
  "storage-timeout": "Storage on this device did not answer in time",
  "storage-unavailable": "Storage is not available in this browser",
};

/**
 * How browsers word a request that never reached a server (nothing
 * listening, no network, DNS, a refused connection, CORS): Chromium
 * "Failed to fetch", Firefox "NetworkError when attempting to fetch
 * resource.", Safari "Load failed", Node "fetch failed"; Connect reports
 * them as `unknown`, though they mean the server is unavailable.
 */
const NETWORK_FAILURE = /failed to fetch|networkerror|network error|load failed|fetch failed|network connection was lost|ECONNREFUSED|ECONNRESET|ENOTFOUND/i;

/** The plain words for `error`. */
export function describeError(error: Pick<CacheError, "code" | "message">): ErrorText {
  const raw = error.message === "" ? error.code : `${error.code}: ${error.message}`;
  const code: CacheErrorCode = error.code === "unknown" && NETWORK_FAILURE.test(error.message) ? "unavailable" : error.code;
  // A code from a newer host this page does not know yet still reads as something.
  const sentence = Object.hasOwn(SENTENCES, code) ? SENTENCES[code] : SENTENCES.unknown;
  return { text: `${sentence} (${code})`, code, raw };
}
