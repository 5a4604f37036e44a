import { parseJsonBody, type ParsedJson } from "./json-body.js";
import type { JsonView } from "./json-view.js";

/** Bodies up to this size are parsed at once on the page (a few ms); larger ones in the worker. */
export const INLINE_JSON_BYTES = 64 * 1024;

export interface JsonParser {
  /** The parsed body: at once for small bodies, from the worker for large ones. */
  parse(bytes: Uint8Array): ParsedJson | Promise<ParsedJson>;
}

/**
 * Parses JSON publications, large ones in a dedicated worker
 * (json-worker.ts) started up front, so a 4 MB body never blocks the page.
 * Where no worker can start (or it fails), the page parses itself: slower,
 * still correct. Answers from the worker are checked before use.
 */
export function createJsonParser(): JsonParser {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { bytes: Uint8Array; resolve: (parsed: ParsedJson) => void }>();
  const parseHere = (bytes: Uint8Array) => parseJsonBody(new TextDecoder().decode(bytes));
  const giveUp = () => {
    worker?.terminate();
    worker = undefined;
    for (const [id, job] of pending) {
      pending.delete(id);
      job.resolve(parseHere(job.bytes));
    }
  };
  try {
    worker = new Worker(new URL("./json-worker.ts", import.meta.url), { type: "module", name: "json-parser" });
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { id?: unknown; result?: unknown } | null;
      const job = typeof data?.id === "number" ? pending.get(data.id) : undefined;
      if (!job) return;
      pending.delete(data!.id as number);
      job.resolve(isParsed(data!.result) ? data!.result : parseHere(job.bytes));
    };
    worker.onerror = giveUp;
  } catch {
    worker = undefined;
  }
  return {
    parse(bytes) {
      if (bytes.byteLength <= INLINE_JSON_BYTES || !worker) return parseHere(bytes);
      const id = nextId++;
      return new Promise<ParsedJson>((resolve) => {
        pending.set(id, { bytes, resolve });
        // A copy: the cached value keeps its own bytes.
        worker!.postMessage({ id, bytes });
      });
    },
  };
}

function isParsed(value: unknown): value is ParsedJson {
  if (typeof value !== "object" || value === null) return false;
  const { view, site } = value as { view?: unknown; site?: unknown };
  const viewOk = view === undefined || (typeof view === "object" && view !== null && typeof (view as JsonView).kind === "string");
  const siteOk = site === undefined || (typeof site === "object" && site !== null && typeof (site as { name?: unknown }).name === "string");
  return viewOk && siteOk;
}
