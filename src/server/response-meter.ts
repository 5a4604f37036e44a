import type { IncomingMessage, ServerResponse } from "node:http";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { PUBLICATION_SERVICES } from "./service-paths.js";

/** "/<service>/<Method>" of both service paths → the method name. */
const METHOD_OF_PATH = new Map<string, string>(
  PUBLICATION_SERVICES.flatMap((service) => service.methods.map((m) => [`/${service.typeName}/${m.name}`, m.name] as const)),
);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Loose = (...args: unknown[]) => unknown;

/**
 * Measures what the RPC handler writes, per method (from the request path):
 * the response body bytes handed to the socket (as sent, so base64 for
 * grpc-web-text), and the responses whose last write is waiting for the
 * client to read (TCP backpressure: a stream's later changes pend, merged,
 * until it drains). A benchmark reads the bytes a reconnect costs; a test
 * sees when a stream's receiver has fallen behind.
 */
export class ResponseMeter {
  readonly #bytes = new Map<string, number>();
  readonly #waiting = new Map<string, number>();

  /** Wraps the RPC handler; paths that name no method of either service path are not measured. */
  wrap(handler: Handler): Handler {
    return (req, res) => {
      const path = (req.url ?? "").split("?")[0]!;
      // Both service paths count under the method name (summed), as the call counts do.
      const method = METHOD_OF_PATH.get(path);
      if (method !== undefined) this.#measure(method, res);
      handler(req, res);
    };
  }

  /** Body bytes sent since start, by method name (both service paths summed); every method is listed. */
  bytesSent(): Record<string, number> {
    return Object.fromEntries(PublicationApi.methods.map((m) => [m.name, this.#bytes.get(m.name) ?? 0]));
  }

  /** Responses whose last write waits for the client to read, by method (only methods with at least one). */
  waitingOnClient(): Record<string, number> {
    return Object.fromEntries(this.#waiting);
  }

  #measure(method: string, res: ServerResponse): void {
    const write = res.write.bind(res) as Loose;
    const end = res.end.bind(res) as Loose;
    let waiting = false;
    const setWaiting = (now: boolean) => {
      if (now === waiting) return;
      waiting = now;
      const count = (this.#waiting.get(method) ?? 0) + (now ? 1 : -1);
      if (count === 0) this.#waiting.delete(method);
      else this.#waiting.set(method, count);
    };
    const count = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      const bytes =
        typeof chunk === "string" ? Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : (chunk as Uint8Array).byteLength;
      this.#bytes.set(method, (this.#bytes.get(method) ?? 0) + bytes);
    };

    (res as { write: Loose }).write = (chunk: unknown, ...rest: unknown[]) => {
      count(chunk, rest[0]);
      const flushed = write(chunk, ...rest);
      if (flushed === false) setWaiting(true);
      return flushed;
    };
    (res as { end: Loose }).end = (chunk?: unknown, ...rest: unknown[]) => {
      count(chunk, rest[0]);
      return end(chunk, ...rest);
    };
    res.on("drain", () => setWaiting(false));
    res.once("close", () => setWaiting(false));
  }
}
