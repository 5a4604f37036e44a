import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Clock } from "../core/clock.js";
import { systemClock } from "../platform/system-clock.js";
import { requireBearerToken } from "./auth-interceptor.js";
import { observeCalls } from "./call-observer.js";
import { CallStats, type ServerStats } from "./call-stats.js";
import { openDataDirectory } from "./data-directory.js";
import { createDbLikeHandlers } from "./db-like-handlers.js";
import { createFaultEndpoints } from "./fault-endpoints.js";
import { FaultState } from "./faults.js";
import { acceptGrpcWebText } from "./grpc-web-text.js";
import { holdCallsWhenAsked } from "./hold-interceptor.js";
import { createIdentityProvider, type IdentityProviderOptions } from "./idp/identity-provider.js";
import { createHttpHandler } from "./http-handler.js";
import { KeyedLock } from "./keyed-lock.js";
import { createListener } from "./listener.js";
import { OpenStreams } from "./open-streams.js";
import { lastWrittenAt } from "./publication-rules.js";
import { PublicationStore } from "./publication-store.js";
import { createPullHandlers } from "./pull-handlers.js";
import { ResponseMeter } from "./response-meter.js";
import type { ServiceContext, StreamingMode } from "./service-context.js";
import { routePublicationApi, type ServiceApi } from "./service-paths.js";
import { ServerStartError } from "./start-error.js";
import { answerUnknownMethod } from "./unknown-method.js";
import { createUnaryHandlers } from "./unary-handlers.js";
import type { ServerTls } from "./tls/server-tls.js";
import { mintVersion } from "./version.js";
import { VersionHistory } from "./version-history.js";

/** Largest request message accepted, unless `maxBodyBytes` says otherwise: 4 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface PublicationServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Where publications are persisted (created if missing). Required. */
  readonly dataDir: string;
  /** This server's Smart Core device name. Unset: requests naming any device are answered. */
  readonly device?: string;
  /** False: PullPublication and PullPublications answer UNIMPLEMENTED. Default true. */
  readonly pull?: boolean;
  /** False: PullPublications alone answers UNIMPLEMENTED (PullPublication still streams). Default true. */
  readonly pullAll?: boolean;
  /**
   * Behave like the database-backed server of Smart Core BOS instead of the
   * reference (README: `--db-like`): no streaming, read masks ignored, an
   * audience on every publication, UNKNOWN for missing rows, random versions
   * with past versions kept, no update masks. Default false.
   */
  readonly dbLike?: boolean;
  /**
   * The one service path to answer: `"v1"` (`smartcore.bos.publication.v1`,
   * a BOS without the translator) or `"traits"` (`smartcore.traits`, older
   * servers). Unset: both, with the same handlers and store, as BOS answers
   * today. The other path answers UNIMPLEMENTED for every method.
   */
  readonly api?: ServiceApi;
  /** When set, every RPC needs `authorization: Bearer <token>`. */
  readonly token?: string;
  /**
   * Turns the development identity provider on (README: "Identity provider"):
   * every RPC then needs a bearer JWT it issued. Not together with `token`.
   */
  readonly auth?: IdentityProviderOptions;
  /** Mounts the test-only `/faults/...` endpoints (README). Default false. */
  readonly faults?: boolean;
  /** Receives one line per call and start-up notes. Default: discard. */
  readonly logger?: (line: string) => void;
  /** Largest request message in bytes; larger ones get RESOURCE_EXHAUSTED. Default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Time source for publish, receipt and change times. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN, TLS 1.2 minimum) with this
   * certificate, as Smart Core does; see `loadServerTls`. A development CA's
   * certificate (never its key) is then served at `/ca.crt`. Default: plain HTTP/1.1.
   */
  readonly tls?: ServerTls;
}

export interface PublicationServer {
  /** `http://<host>:<port>` (`https://` with `tls`), the base URL for a gRPC-Web or Connect transport. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The same numbers `GET /debug/stats` answers. */
  stats(): ServerStats;
  /**
   * Ends every open stream (status UNAVAILABLE), stops listening and closes
   * every connection. Resolves when the port is free. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Starts a development Smart Core publication server: the eight
 * PublicationApi RPCs over gRPC-Web and Connect (HTTP/1.1, or HTTPS with HTTP/2 and HTTP/1.1), publications
 * persisted in `dataDir`. Rejects with {@link ServerStartError} when the data
 * directory is unusable or the port cannot be bound.
 */
export async function startPublicationServer(options: PublicationServerOptions): Promise<PublicationServer> {
  const log = options.logger ?? (() => {});
  const clock = options.clock ?? systemClock;
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new ServerStartError(`maxBodyBytes must be a positive integer, not ${maxBodyBytes}`);
  }

  if (options.auth !== undefined && options.token !== undefined) {
    throw new ServerStartError("use either a static token or the identity provider (auth), not both");
  }
  const idp =
    options.auth === undefined
      ? undefined
      : await createIdentityProvider(options.auth, { clock, log, faults: options.faults === true });

  const data = await openDataDirectory(options.dataDir, log);
  const store = new PublicationStore(
    // A stream's opening change is dated when the value was last written, also after a restart.
    data.publications.map((publication) => ({ publication, changedAt: lastWrittenAt(publication) ?? clock.now() })),
  );
  log(`data: ${data.publications.length} publication(s) loaded from ${options.dataDir}`);
  const dbLike = options.dbLike === true;
  const history = dbLike ? await openHistory(options.dataDir, log) : undefined;

  const faults = new FaultState(clock);
  const streams = new OpenStreams();
  const meter = new ResponseMeter();
  const stats = new CallStats(streams, meter);
  const pullPublication: StreamingMode = dbLike ? "db-like" : options.pull === false ? "off" : "on";
  const pullPublications: StreamingMode = pullPublication !== "on" ? pullPublication : options.pullAll === false ? "off" : "on";
  const context: ServiceContext = {
    store,
    storage: data.storage,
    locks: new KeyedLock(),
    clock,
    device: options.device,
    streaming: { pullPublication, pullPublications },
    mintVersion: dbLike ? () => randomUUID() : mintVersion,
    faults,
    history,
    newId: randomUUID,
  };

  const observer = observeCalls({ stats, streams, clock, log });
  const interceptors: Interceptor[] = [observer.interceptor];
  if (options.token !== undefined) interceptors.push(requireBearerToken(options.token));
  if (idp !== undefined) interceptors.push(idp.interceptor);
  if (options.faults === true) interceptors.push(holdCallsWhenAsked(faults, clock));

  const shutdown = new AbortController();
  // Every call in progress listens to this signal: many concurrent calls are normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const rpc = connectNodeAdapter({
    routes: (router) => {
      const reference = createUnaryHandlers(context);
      const unary = dbLike ? createDbLikeHandlers(context, reference) : reference;
      routePublicationApi(router, options.api, { ...unary, ...createPullHandlers(context) });
    },
    grpcWeb: true,
    connect: true,
    grpc: false, // native gRPC needs HTTP/2; real servers offer it on another port
    readMaxBytes: maxBodyBytes,
    interceptors,
    shutdownSignal: shutdown.signal,
    // Only the http module serves these handlers, so requests are IncomingMessages.
    contextValues: (req) => observer.contextValues(req as IncomingMessage),
    fallback: (req, res) => answerUnknownMethod(req as IncomingMessage, res as ServerResponse),
  });

  const server = createListener(options.tls);
  const handler = createHttpHandler({
    // The meter is outermost so that it counts the bytes as sent (base64 for grpc-web-text).
    rpc: meter.wrap(acceptGrpcWebText(observer.wrap(rpc))),
    stats: () => stats.snapshot(),
    faults:
      options.faults === true
        ? createFaultEndpoints({ faults, streams, onRefuse: () => server.closeIdleConnections() })
        : undefined,
    caCertificatePem: options.tls?.developmentCa?.caPem,
  });
  server.onConnection((socket) => {
    if (faults.refusing()) socket.destroy();
  });
  server.onRequest((req, res) => {
    // Refusing also cuts keep-alive connections opened before, except to reach /faults/reset.
    if (faults.refusing() && !req.url?.startsWith("/faults/")) {
      req.socket.destroy();
      return;
    }
    if (idp?.handle(req, res) === true) return;
    handler(req, res);
  });

  const port = await server.listen(options.port ?? 0, host);
  const url = `${server.scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    stats: () => stats.snapshot(),
    close() {
      closing ??= (async () => {
        const goingAway = new ConnectError("the server is shutting down", Code.Unavailable);
        shutdown.abort(goingAway);
        streams.endAll({ kind: "error", error: goingAway });
        const closed = server.close();
        // Give ended streams a moment to send their status, but never wait on a slow client.
        await waitFor(() => streams.size === 0, 500);
        server.closeAllConnections();
        await closed;
        log("server closed");
      })();
      return closing;
    },
  };
}

async function openHistory(dataDir: string, log: (line: string) => void): Promise<VersionHistory> {
  try {
    return await VersionHistory.open(dataDir, log);
  } catch (cause) {
    throw new ServerStartError(`cannot read the version history in ${dataDir}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function waitFor(condition: () => boolean, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
