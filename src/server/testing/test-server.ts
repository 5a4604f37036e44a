/**
 * Test support for the server's own specs (and for anyone testing against the
 * development server): a server in a fresh temp data directory, a gRPC-Web
 * client over real HTTP/1.1, and the log lines it wrote.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { manualClock as coreManualClock, type ManualClock } from "../../core/testing/fake-clock.js";
import { PublicationApi as PublicationApiV1 } from "../../gen/smartcore/bos/publication/v1/publication_pb.js";
import { PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import { startPublicationServer, type PublicationServer, type PublicationServerOptions } from "../publication-server.js";

export type PublicationClient = Client<typeof PublicationApi>;
export type PublicationClientV1 = Client<typeof PublicationApiV1>;

export interface TestServer {
  readonly server: PublicationServer;
  readonly url: string;
  readonly dataDir: string;
  /** A client without credentials. */
  readonly client: PublicationClient;
  /** Every line the server logged so far. */
  readonly logs: string[];
  /** A client sending `authorization: Bearer <token>`. */
  clientWithToken(token: string): PublicationClient;
  /** Closes the server and starts a new one on the same data directory (and port). */
  restart(options?: Partial<PublicationServerOptions>): Promise<TestServer>;
  /** Closes the server and removes the data directory. */
  stop(): Promise<void>;
}

/** A gRPC-Web client for `baseUrl`, as browsers and the cache use it. */
export function publicationClient(baseUrl: string, interceptors: Interceptor[] = []): PublicationClient {
  return createClient(PublicationApi, createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors }));
}

/** The same client on the `smartcore.bos.publication.v1` service path. */
export function publicationClientV1(baseUrl: string, interceptors: Interceptor[] = []): PublicationClientV1 {
  return createClient(PublicationApiV1, createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors }));
}

/** An interceptor adding `authorization: Bearer <token>`. */
export function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

/** Starts a server on an ephemeral port in a new temp data directory (unless `dataDir` is given). */
export async function startTestServer(options: Partial<PublicationServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "pubserver-")));
  const logs: string[] = [];
  const server = await startPublicationServer({ ...options, dataDir, logger: (line) => logs.push(line) });
  return {
    server,
    url: server.url,
    dataDir,
    logs,
    client: publicationClient(server.url),
    clientWithToken: (token) => publicationClient(server.url, [bearer(token)]),
    async restart(more = {}) {
      await server.close();
      return startTestServer({ ...options, port: server.port, ...more, dataDir });
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock whose time only moves when told (the core's fake clock, moved synchronously). */
export function manualClock(startMs = Date.UTC(2026, 0, 15, 9, 30)): ManualClock {
  return coreManualClock(startMs);
}

/** Resolves once `condition` holds; rejects after `timeoutMs` (a safety net, not a speed check). */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * How a call ends: "ok" or its status code. For a stream, the status of its
 * first read (a stream that sends a message is "ok"; the read stops there).
 */
export async function statusOf(call: Promise<unknown> | AsyncIterable<unknown>): Promise<Code | "ok"> {
  try {
    if (Symbol.asyncIterator in call) {
      for await (const _ of call) break;
    } else {
      await call;
    }
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
