/// <reference lib="webworker" />
import { failed, parseJsonBody } from "./json-body.js";

/**
 * Parses large JSON bodies off the page's main thread (json-parser.ts):
 * decoding and `JSON.parse` of a 4 MB document take 50–150 ms on a
 * kiosk-class CPU, long enough to stall the clock and the pager. Only the
 * small, bounded view comes back — or why there is none: every request is
 * answered, so the page never waits for a body that failed here.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data as { id?: unknown; bytes?: unknown } | null;
  if (typeof data?.id !== "number" || !(data.bytes instanceof Uint8Array)) return;
  let result;
  try {
    result = parseJsonBody(new TextDecoder().decode(data.bytes));
  } catch (error) {
    result = failed(`could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  scope.postMessage({ id: data.id, result });
};
