import { failed, parseJsonBody, type ParsedJson } from "./json-body.js";
import type { JsonView } from "./json-view.js";

/** Bodies up to this size are parsed at once on the page (a few ms); larger ones in the worker. */
export const INLINE_JSON_BYTES = 64 * 1024;

/** How long the worker may take over one body before it is given up: a 4 MB body takes well under a second. */
export const WORKER_TIMEOUT_MS = 30_000;

export interface JsonParser {
  /** The parsed body: at once for small bodies, from the worker for large ones. Always answers; never rejects. */
  parse(bytes: Uint8Array): ParsedJson | Promise<ParsedJson>;
}

export interface JsonParserOptions {
  /** Default {@link WORKER_TIMEOUT_MS}. */
  readonly workerTimeoutMs?: number;
  /** Starts the worker (tests pass a fake). Default json-worker.ts as a module worker. */
  readonly startWorker?: () => Worker;
}

/**
 * Parses JSON publications, large ones in a dedicated worker
 * (json-worker.ts) started up front, so a 4 MB body never blocks the page.
 * Where no worker can start, or it fails (an error, a message that does not
 * arrive intact), the page parses itself: slower, still correct. A body the
 * worker does not answer for within the timeout is given up with a reason
 * (parsing it on the page could hang the page too). Answers from the worker
 * are checked before use. Every body gets an answer: a view, or a problem.
 */
export function createJsonParser(options: JsonParserOptions = {}): JsonParser {
  const timeoutMs = options.workerTimeoutMs ?? WORKER_TIMEOUT_MS;
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { bytes: Uint8Array; resolve: (parsed: ParsedJson) => void; timer: ReturnType<typeof setTimeout> }>();
  const parseHere = (bytes: Uint8Array) => parseJsonBody(new TextDecoder().decode(bytes));
  const settle = (id: number, answer: () => ParsedJson) => {
    const job = pending.get(id);
    if (!job) return;
    pending.delete(id);
    clearTimeout(job.timer);
    job.resolve(answer());
  };
  /** The worker is not to be trusted any more: what it held is parsed here, except `stuck`, given up. */
  const giveUp = (stuck?: number) => {
    worker?.terminate();
    worker = undefined;
    for (const [id, job] of pending) {
      settle(id, () => (id === stuck ? failed(`could not be read: it took longer than ${Math.round(timeoutMs / 1000)} s`) : parseHere(job.bytes)));
    }
  };
  try {
    worker = options.startWorker?.() ?? new Worker(new URL("./json-worker.ts", import.meta.url), { type: "module", name: "json-parser" });
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { id?: unknown; result?: unknown } | null;
      if (typeof data?.id !== "number") return;
      const job = pending.get(data.id);
      if (job) settle(data.id, () => (isParsed(data.result) ? data.result : parseHere(job.bytes)));
    };
    worker.onerror = () => giveUp();
    worker.onmessageerror = () => giveUp();
  } catch {
    worker = undefined;
  }
  return {
    parse(bytes) {
      if (bytes.byteLength <= INLINE_JSON_BYTES || !worker) return parseHere(bytes);
      const id = nextId++;
      const running = worker;
      return new Promise<ParsedJson>((resolve) => {
        const timer = setTimeout(() => giveUp(id), timeoutMs);
        pending.set(id, { bytes, resolve, timer });
        try {
          // A copy: the cached value keeps its own bytes.
          running.postMessage({ id, bytes });
        } catch {
          giveUp();
        }
      });
    },
  };
}

function isParsed(value: unknown): value is ParsedJson {
  if (typeof value !== "object" || value === null) return false;
  const { view, site, problem } = value as { view?: unknown; site?: unknown; problem?: unknown };
  const viewOk = view === undefined || (typeof view === "object" && view !== null && typeof (view as JsonView).kind === "string");
  const siteOk = site === undefined || (typeof site === "object" && site !== null && typeof (site as { name?: unknown }).name === "string");
  const problemOk = problem === undefined || typeof problem === "string";
  // A body with no view says why.
  return viewOk && siteOk && problemOk && (view !== undefined || problem !== undefined);
}
