import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * `application/grpc-web-text`: gRPC-Web with base64 bodies, the default of
 * Google's `grpc-web` client and of protobuf-ts, which the gRPC-Web wrappers
 * of real Smart Core servers accept. connect-node speaks only the binary
 * form, so {@link acceptGrpcWebText} translates in front of it.
 */

const TEXT_TYPE = /^application\/grpc-web-text(?:\+proto)?\s*(?:;.*)?$/i;
const BINARY_REQUEST_TYPE = "application/grpc-web+proto";
/** What the response says it is, as grpcwebproxy and Envoy answer text requests. */
export const TEXT_RESPONSE_TYPE = "application/grpc-web-text+proto";

/** Whether a request's content type asks for grpc-web-text. */
export function isGrpcWebText(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_TYPE.test(contentType);
}

/** One chunk of a text response: standard base64, padded, so chunks can be decoded as they come. */
export function encodeBase64Chunk(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Decodes a base64 body that arrives in chunks of any size. The body may be
 * several padded base64 strings one after the other (a client may encode
 * each frame on its own), and whitespace is ignored.
 */
export class Base64StreamDecoder {
  #carry = "";

  /** The bytes of every complete group of four characters so far. Throws INVALID_ARGUMENT for bad base64. */
  push(chunk: Uint8Array | string): Uint8Array {
    const incoming = typeof chunk === "string" ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    const text = this.#carry + incoming.replace(/[\t\n\r ]/g, "");
    const usable = text.length - (text.length % 4);
    this.#carry = text.slice(usable);
    return decodeGroups(text.slice(0, usable));
  }

  /** Throws INVALID_ARGUMENT when the body ended inside a group of four. */
  end(): void {
    if (this.#carry !== "") throw badBase64("the body ends inside a base64 group");
  }
}

/** Decodes whole groups of four; a padded group ends one base64 string, and another may follow. */
function decodeGroups(text: string): Uint8Array {
  if (/[^A-Za-z0-9+/=]/.test(text)) throw badBase64("a character outside the base64 alphabet");
  const parts: Buffer[] = [];
  let start = 0;
  let padding = text.indexOf("=");
  while (padding !== -1) {
    const group = padding - (padding % 4);
    if (!/^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=)$/.test(text.slice(group, group + 4))) throw badBase64("misplaced padding");
    parts.push(Buffer.from(text.slice(start, group + 4), "base64"));
    start = group + 4;
    padding = text.indexOf("=", start);
  }
  parts.push(Buffer.from(text.slice(start), "base64"));
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function badBase64(why: string): ConnectError {
  return new ConnectError(`invalid grpc-web-text request body: ${why}`, Code.InvalidArgument);
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Lets `handler` (binary gRPC-Web) serve grpc-web-text requests too: the
 * request is presented to it as `application/grpc-web+proto` with its body
 * base64-decoded, and every chunk it writes is sent base64-encoded (each
 * padded, so a client decodes as data arrives: streams keep streaming) under
 * `application/grpc-web-text+proto`. Other requests pass through untouched.
 */
export function acceptGrpcWebText(handler: Handler): Handler {
  return (req, res) => {
    if (isGrpcWebText(req.headers["content-type"])) {
      req.headers["content-type"] = BINARY_REQUEST_TYPE;
      delete req.headers["content-length"];
      decodeRequestBody(req);
      encodeResponseBody(res);
    }
    handler(req, res);
  };
}

function decodeRequestBody(req: IncomingMessage): void {
  const chunks = req[Symbol.asyncIterator].bind(req);
  // connect-node reads the body by async iteration of the request.
  req[Symbol.asyncIterator] = async function* decoded() {
    const decoder = new Base64StreamDecoder();
    for await (const chunk of chunks()) {
      const bytes = decoder.push(chunk as Buffer);
      if (bytes.length > 0) yield bytes;
    }
    decoder.end();
  };
}

type Callback = (error?: Error | null) => void;
type Loose = (...args: unknown[]) => unknown;

function encodeResponseBody(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as Loose;
  const write = res.write.bind(res) as Loose;
  const end = res.end.bind(res) as Loose;
  let encode: boolean | undefined; // decided with the headers: only a gRPC-Web answer is encoded

  const decide = () => {
    if (encode !== undefined) return;
    encode = /^application\/grpc-web/i.test(String(res.getHeader("content-type") ?? ""));
    if (encode) {
      res.setHeader("content-type", TEXT_RESPONSE_TYPE);
      res.removeHeader("content-length");
    }
  };
  const encoded = (chunk: unknown, encoding: unknown): string => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : (chunk as Uint8Array);
    return encodeBase64Chunk(bytes);
  };

  (res as { writeHead: Loose }).writeHead = (status: unknown, ...rest: unknown[]) => {
    // Headers given to writeHead win over setHeader: move them there first, so `decide` sees them.
    const isHeaderObject = (a: unknown): a is OutgoingHttpHeaders => typeof a === "object" && a !== null && !Array.isArray(a);
    for (const headers of rest.filter(isHeaderObject)) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    decide();
    return writeHead(status, ...rest.filter((a) => !isHeaderObject(a)));
  };
  (res as { write: Loose }).write = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    decide();
    if (!encode) return write(chunk, encodingOrCallback, callback);
    const cb = (typeof encodingOrCallback === "function" ? encodingOrCallback : callback) as Callback | undefined;
    return write(encoded(chunk, encodingOrCallback), "latin1", cb);
  };
  (res as { end: Loose }).end = (chunk?: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    decide();
    if (!encode || chunk === undefined || chunk === null || typeof chunk === "function") return end(chunk, encodingOrCallback, callback);
    const cb = (typeof encodingOrCallback === "function" ? encodingOrCallback : callback) as Callback | undefined;
    return end(encoded(chunk, encodingOrCallback), "latin1", cb);
  };
}
