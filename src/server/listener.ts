import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createSecureServer, type Http2Session } from "node:http2";
import type { Socket } from "node:net";
import { ServerStartError } from "./start-error.js";
import type { ServerTls } from "./tls/server-tls.js";

/**
 * The TCP listener under the server: plain HTTP/1.1, or with `tls` HTTPS
 * offering HTTP/2 and HTTP/1.1 by ALPN, TLS 1.2 at least — as Smart Core
 * serves (its default minimum is TLS 1.3; 1.2 is allowed here for older
 * tablets). Requests of both protocols reach `onRequest` through Node's
 * HTTP/2 compatibility API, which mirrors IncomingMessage/ServerResponse.
 */
export interface Listener {
  /** "http" or "https". */
  readonly scheme: "http" | "https";
  /** Receives each new TCP connection before any byte is read (to refuse it). */
  onConnection(handler: (socket: Socket) => void): void;
  onRequest(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Binds; resolves to the port bound (for port 0). Rejects with {@link ServerStartError}. */
  listen(port: number, host: string): Promise<number>;
  /** Closes connections with nothing in flight (HTTP/2: asks each session to finish what it has). */
  closeIdleConnections(): void;
  /** Stops accepting; resolves once every connection is gone. */
  close(): Promise<void>;
  /** Destroys every connection at once. */
  closeAllConnections(): void;
}

export function createListener(tls: ServerTls | undefined): Listener {
  if (tls === undefined) {
    const server = createServer();
    return {
      scheme: "http",
      onConnection: (handler) => void server.on("connection", handler),
      onRequest: (handler) => void server.on("request", handler),
      listen: (port, host) => listen(server, port, host),
      closeIdleConnections: () => server.closeIdleConnections(),
      close: () => new Promise((resolve) => server.close(() => resolve())),
      closeAllConnections: () => server.closeAllConnections(),
    };
  }
  const server = createSecureServer({
    cert: tls.certChainPem,
    key: tls.keyPem,
    allowHTTP1: true,
    minVersion: "TLSv1.2",
    // Many streams share one connection (every tab's calls and the device stream): Node's default of 100 is ample,
    // but a session's memory cap must not cut a long stream of large bodies.
    maxSessionMemory: 64,
  });
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  // A client that gives up mid-handshake (or speaks plain http to the TLS port) is no error of the server's.
  server.on("tlsClientError", () => {});
  return {
    scheme: "https",
    onConnection: (handler) => void server.on("connection", handler),
    onRequest: (handler) => void server.on("request", handler),
    listen: (port, host) => listen(server, port, host),
    closeIdleConnections: () => {
      for (const session of sessions) session.close();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    closeAllConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

function listen(
  server: { once: (event: "error", cb: (err: NodeJS.ErrnoException) => void) => unknown; off: (event: "error", cb: (err: NodeJS.ErrnoException) => void) => unknown; listen: (port: number, host: string, cb: () => void) => unknown; address: () => ReturnType<ReturnType<typeof createServer>["address"]> },
  port: number,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "the port is already in use" : err.message;
      reject(new ServerStartError(`cannot listen on ${host}:${port}: ${why}`, { cause: err }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}
