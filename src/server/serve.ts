import {
  startPublicationServer,
  type PublicationServer,
  type PublicationServerOptions,
} from "./publication-server.js";
import { ServerStartError } from "./start-error.js";
import { CA_CERTIFICATE_PATH, loadServerTls, trustInstructions, type TlsRequest } from "./tls/server-tls.js";
import { systemClock } from "../platform/system-clock.js";

/** Server options as a command line gives them: HTTPS as a request, made or read at start. */
export type ServeOptions = PublicationServerOptions & {
  /** `--tls` / `--cert` `--key`, when `tls` is not given already; undefined: plain HTTP. */
  readonly tlsRequest?: TlsRequest;
};

/**
 * What `npm run server` and `npm start` do once their options are read:
 * make or read its certificate (HTTPS), start the server, print
 * `listening on <url>` (and, with a development CA, how to trust it; unless
 * `quietTls`, for a caller that prints it itself), and on SIGINT or SIGTERM end
 * every stream, close and let the process exit with code 0. A start-up
 * failure is one line on stderr and exit code 1, never a stack trace; it
 * resolves to `undefined` then, else to the running server.
 */
export async function serveUntilStopped(
  options: ServeOptions,
  program: string,
  quietTls = false,
): Promise<PublicationServer | undefined> {
  let server: PublicationServer;
  let tls: PublicationServerOptions["tls"];
  try {
    const { tlsRequest, ...rest } = options;
    tls = rest.tls ?? (tlsRequest === undefined ? undefined : await loadServerTls(options.dataDir, tlsRequest, options.clock ?? systemClock));
    server = await startPublicationServer({ ...rest, tls });
  } catch (err) {
    const message = err instanceof ServerStartError ? err.message : `unexpected error: ${String(err)}`;
    console.error(`${program}: ${message}`);
    process.exitCode = 1;
    return undefined;
  }
  console.log(`listening on ${server.url}`);
  if (tls?.developmentCa !== undefined && !quietTls) {
    console.log(trustInstructions(tls.developmentCa, `${server.url}${CA_CERTIFICATE_PATH}`));
  }

  const stop = (signal: string) => {
    console.log(`${signal}: closing`);
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    // A wedged close must not keep the process alive forever.
    setTimeout(() => process.exit(1), 5000).unref();
    void server.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return server;
}

/** Reads a TCP port (0–65535) or throws with a message naming `flag`. */
export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`${flag} must be a port number (0-65535), not ${JSON.stringify(text)}`);
  return port;
}
