/// <reference lib="webworker" />
import { parseJsonBody } from "./json-body.js";

/**
 * Parses large JSON bodies off the page's main thread (json-parser.ts):
 * decoding and `JSON.parse` of a 4 MB document take 50–150 ms on a
 * kiosk-class CPU, long enough to stall the clock and the pager. Only the
 * small, bounded view comes back.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data as { id?: unknown; bytes?: unknown } | null;
  if (typeof data?.id !== "number" || !(data.bytes instanceof Uint8Array)) return;
  const text = new TextDecoder().decode(data.bytes);
  scope.postMessage({ id: data.id, result: parseJsonBody(text) });
};
