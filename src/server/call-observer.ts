import type { IncomingMessage, ServerResponse } from "node:http";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import {
  ConnectError,
  createContextKey,
  createContextValues,
  type ContextValues,
  type Interceptor,
  type StreamResponse,
} from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Clock } from "../core/clock.js";
import type { CallStats } from "./call-stats.js";
import type { HttpProtocol, OpenStreams } from "./open-streams.js";

/** Set per HTTP request: its protocol, and marked when the call reaches the service. */
const reachedService = createContextKey<RequestMark | undefined>(undefined);

interface RequestMark {
  reached: boolean;
  readonly protocol: HttpProtocol;
}

export interface CallObserver {
  /** The outermost interceptor. */
  readonly interceptor: Interceptor;
  /** For `connectNodeAdapter({contextValues})`: links each call to its HTTP request. */
  readonly contextValues: (req: IncomingMessage) => ContextValues;
  /** Wraps the RPC handler to log requests rejected before any interceptor ran (malformed, unknown method). */
  wrap(handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Watches every call: counts it, registers server streams (so they show in
 * the stats and can be ended by a fault or a shutdown: the handler's signal
 * is the stream's own signal combined with the request's), and writes one
 * log line when it ends:
 * `GetPublication id="a" outcome=not_found 3ms open_streams=2`.
 * A request the protocol layer rejects before the service (an undecodable
 * unary request, an unknown method) is logged with `outcome=rejected`; its
 * status code is on the wire, not in the log.
 */
export function observeCalls(deps: {
  readonly stats: CallStats;
  readonly streams: OpenStreams;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}): CallObserver {
  const { stats, streams, clock, log } = deps;
  const marks = new WeakMap<IncomingMessage, RequestMark>();
  const line = (method: string, id: string | undefined, outcome: string, started: number) =>
    `${method}${id === undefined ? "" : ` id=${JSON.stringify(id)}`} outcome=${outcome} ` +
    `${clock.now() - started}ms open_streams=${streams.size}`;

  const interceptor: Interceptor = (next) => async (req) => {
    const method = req.method.name;
    const started = clock.now();
    const mark = req.contextValues.get(reachedService);
    if (mark !== undefined) mark.reached = true;
    stats.countCall(req.service.typeName, method);

    if (!req.stream) {
      const id = publicationId(req.message);
      try {
        const res = await next(req);
        log(line(method, id, "ok", started));
        return res;
      } catch (err) {
        log(line(method, id, outcomeOf(err), started));
        throw err;
      }
    }

    const stream = streams.open(method, mark?.protocol);
    let id: string | undefined;
    let res: StreamResponse;
    try {
      // A server-streaming call has one request message: read it here to learn the id.
      const inputs: MessageShape<DescMessage>[] = [];
      for await (const message of req.message) inputs.push(message);
      id = publicationId(inputs[0]);
      const signal = AbortSignal.any([req.signal, stream.signal]);
      res = (await next({ ...req, message: replay(inputs), signal })) as StreamResponse;
    } catch (err) {
      stream.close();
      log(line(method, id, outcomeOf(err), started));
      throw err;
    }
    const ended = (outcome: string) => {
      stream.close();
      log(line(method, id, outcome, started));
    };
    return { ...res, message: watchStream(res.message, ended) };
  };

  return {
    interceptor,
    contextValues: (req) => createContextValues().set(reachedService, marks.get(req)),
    wrap: (handler) => (req, res) => {
      // Node's HTTP/2 compatibility request says "2.0" (served over TLS with ALPN).
      const mark: RequestMark = { reached: false, protocol: req.httpVersion === "2.0" ? "h2" : "http/1.1" };
      marks.set(req, mark);
      stats.countRequest(mark.protocol);
      const started = clock.now();
      res.once("close", () => {
        if (!mark.reached) log(line(methodOfPath(req.url ?? ""), undefined, "rejected", started));
      });
      handler(req, res);
    },
  };
}

/** Yields `messages` and reports once how the stream ended: ok, an error code, or canceled by the client. */
async function* watchStream<T>(messages: AsyncIterable<T>, ended: (outcome: string) => void): AsyncGenerator<T> {
  let outcome = "canceled"; // unless it completes or fails, the client went away
  try {
    yield* messages;
    outcome = "ok";
  } catch (err) {
    outcome = outcomeOf(err);
    throw err;
  } finally {
    ended(outcome);
  }
}

async function* replay<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

function outcomeOf(err: unknown): string {
  return codeToString(ConnectError.from(err).code);
}

/** "/smartcore.traits.PublicationApi/GetPublication?x" → "GetPublication". */
function methodOfPath(path: string): string {
  return path.split("?")[0]!.split("/").pop() || path;
}

/** The publication id a request is about, if it names one. */
function publicationId(message: unknown): string | undefined {
  const m = message as { id?: unknown; publication?: { id?: unknown } } | undefined;
  if (typeof m?.id === "string") return m.id;
  if (typeof m?.publication?.id === "string") return m.publication.id;
  return undefined;
}
