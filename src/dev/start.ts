/**
 * `npm start`: the demo. Builds the dashboard if `dist/` is stale, seeds a
 * demo data directory on first run, starts the development publication
 * server on it, serves the dashboard, and prints the URL to open.
 *
 *   --data <dir>       (or DATA_DIR)  default .data/demo
 *   --port <n>         (or PORT)      publication server, default 8700
 *   --app-port <n>     (or APP_PORT)  dashboard, default 8080
 *   --host <addr>      (or HOST)      interface for both, default 127.0.0.1
 *                                     (0.0.0.0 to reach it from other devices)
 *   --tick [<seconds>] (or TICK)      publish a new announcement every few seconds (default 5)
 *   --no-build                        serve dist/ as it is
 *   --auth [--access-ttl <s>] [--refresh-ttl <s>]
 *                                     sign-in on: the development identity provider (src/server/idp)
 *   --tls                             HTTPS (HTTP/2, HTTP/1.1) for both, with a private CA made in <data>/tls
 *   --name <dns-or-ip>                a name tablets reach this machine by (repeatable): accepted by the
 *                                     dashboard server, put in the certificate, used in the printed URLs
 *   --cert <pem> --key <pem>          HTTPS with the site's own certificate instead of the development CA
 */
import { hostname, networkInterfaces } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { systemClock } from "../platform/system-clock.js";
import { DEFAULT_CLIENTS, DEFAULT_MACHINE_CLIENT } from "../server/idp/accounts.js";
import { AUTH_FLAGS, readAuthFlags } from "../server/idp/auth-command-line.js";
import { formPost } from "../server/idp/form-post.js";
import { clientCredentialsBearer } from "../server/idp/client-credentials-bearer.js";
import { DEFAULT_REALM, identityProviderEndpoints } from "../server/idp/endpoints.js";
import type { IdentityProviderOptions } from "../server/idp/identity-provider.js";
import { signInInstructions } from "../server/idp/sign-in-instructions.js";
import { parsePort, serveUntilStopped } from "../server/serve.js";
import { CA_CERTIFICATE_PATH, loadServerTls, trustInstructions, type ServerTls, type TlsRequest } from "../server/tls/server-tls.js";
import { readTlsFlags, TLS_FLAGS } from "../server/tls/tls-command-line.js";
import { startAppServer, UI_CONFIG_PATH } from "./app-server.js";
import { buildIfStale } from "./build-if-stale.js";
import { startDemoTick } from "./demo-tick.js";
import { screenConfigId, seedDemoData } from "./seed-demo-data.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const USAGE =
  "usage: npm start -- [--data <dir>] [--port <n>] [--app-port <n>] [--host <addr>] [--tick [<seconds>]] [--no-build] [--auth [--access-ttl <s>] [--refresh-ttl <s>]] [--tls] [--name <dns-or-ip>]... [--cert <pem> --key <pem>]";

interface StartOptions {
  dataDir: string;
  port: number;
  appPort: number;
  host: string;
  tickMs: number | undefined;
  build: boolean;
  auth: IdentityProviderOptions | undefined;
  tls: TlsRequest | undefined;
  /** `--name`s: how other devices reach this machine. */
  names: string[];
}

function readOptions(args: string[]): StartOptions {
  // `--tick` may stand alone: give it a value only when the next word is a number.
  const tickAt = args.indexOf("--tick");
  if (tickAt >= 0 && !/^\d+(\.\d+)?$/.test(args[tickAt + 1] ?? "")) args.splice(tickAt + 1, 0, "5");
  const { values } = parseArgs({
    args,
    options: {
      data: { type: "string" },
      port: { type: "string" },
      "app-port": { type: "string" },
      host: { type: "string" },
      tick: { type: "string" },
      "no-build": { type: "boolean", default: false },
      ...AUTH_FLAGS,
      ...TLS_FLAGS,
    },
    strict: true,
  });
  const tick = values.tick ?? process.env.TICK;
  const tickMs = tick === undefined || tick === "" || tick === "0" ? undefined : Number(tick) * 1000;
  if (tickMs !== undefined && (!Number.isFinite(tickMs) || tickMs < 500)) throw new Error("--tick must be a number of seconds, at least 0.5");
  const host = values.host ?? process.env.HOST ?? "127.0.0.1";
  return {
    dataDir: values.data ?? process.env.DATA_DIR ?? ".data/demo",
    port: parsePort(values.port ?? process.env.PORT ?? "8700", "--port (or PORT)"),
    appPort: parsePort(values["app-port"] ?? process.env.APP_PORT ?? "8080", "--app-port (or APP_PORT)"),
    host,
    tickMs,
    build: !values["no-build"],
    auth: readAuthFlags(values),
    tls: readTlsFlags(values, host),
    names: values.name ?? [],
  };
}

/** The address other devices use for a wildcard host; "localhost" for loopback (a secure context for service workers). */
function publicHost(host: string): string {
  if (host === "127.0.0.1" || host === "::1" || host === "localhost") return "localhost";
  if (host !== "0.0.0.0" && host !== "::") return host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal);
  return lan?.address ?? "localhost";
}

/**
 * The dashboard's Smart Core UI config with sign-in on: the device flow against
 * the development identity provider, Keycloak style, at the address the screen
 * uses for the server — so the verification address it shows is the one printed below.
 */
function demoUiConfig(serverUrl: string, auth: IdentityProviderOptions) {
  return { auth: { deviceFlow: true, keycloak: { url: serverUrl, realm: auth.realm ?? DEFAULT_REALM, clientId: DEFAULT_CLIENTS[0]!.clientId } } };
}

let options: StartOptions;
try {
  options = readOptions(process.argv.slice(2));
} catch (err) {
  console.error(`start: ${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}

try {
  if (options.build && (await buildIfStale(ROOT, (line) => console.log(line)))) console.log("built dist/");
} catch (err) {
  console.error(`start: the dashboard build failed: ${(err as Error).message}`);
  process.exit(1);
}
try {
  const seeded = await seedDemoData(options.dataDir, systemClock);
  if (seeded.length > 0) console.log(`seeded ${options.dataDir} with demo publications: ${seeded.join(", ")}`);
} catch (err) {
  console.error(`start: cannot seed ${options.dataDir}: ${(err as Error).message}`);
  process.exit(1);
}

let tls: ServerTls | undefined;
try {
  tls = options.tls === undefined ? undefined : await loadServerTls(options.dataDir, options.tls, systemClock);
} catch (err) {
  console.error(`start: ${(err as Error).message}`);
  process.exit(1);
}

// A tablet reaches the machine by the first --name, else by its address on the network.
const shown = options.names[0] ?? publicHost(options.host);
// The sign-in address a screen shows is for a phone: the public name, never loopback (when there is one).
const auth = options.auth && (shown === "localhost" ? options.auth : { ...options.auth, publicName: shown });
const server = await serveUntilStopped(
  { dataDir: options.dataDir, port: options.port, host: options.host, auth, tls, logger: (line) => console.log(line) },
  "start",
  true,
);
if (server === undefined) process.exit(1);

// This process reaches its own server on loopback: a wildcard interface (0.0.0.0) is no address to
// connect to, nor a name in the certificate.
const wildcard = options.host === "0.0.0.0" || options.host === "::";
const localServerUrl = wildcard ? `${server.url.split("://")[0]}://127.0.0.1:${server.port}` : server.url;

const scheme = tls === undefined ? "http" : "https";
const serverUrl = `${scheme}://${shown === "localhost" ? "127.0.0.1" : shown.includes(":") ? `[${shown}]` : shown}:${server.port}`;
let app: Awaited<ReturnType<typeof startAppServer>>;
try {
  app = await startAppServer({
    root: ROOT,
    host: options.host,
    port: options.appPort,
    publicationServer: localServerUrl,
    tls,
    names: [...options.names, hostname()],
    ...(options.auth && { uiConfig: demoUiConfig(serverUrl, options.auth) }),
  });
} catch (err) {
  console.error(`start: cannot serve the dashboard on port ${options.appPort}: ${(err as Error).message}`);
  await server.close();
  process.exit(1);
}
const tick =
  options.tickMs === undefined
    ? undefined
    : startDemoTick({
        server: localServerUrl,
        everyMs: options.tickMs,
        ca: tls?.developmentCa?.caPem,
        log: (line) => console.log(line),
        // With sign-in on, the ticker is a machine with its own credentials (the default signage-server client).
        interceptors:
          options.auth === undefined
            ? []
            : [
                clientCredentialsBearer({
                  tokenUrl: identityProviderEndpoints(localServerUrl).oauth2Token,
                  clientId: DEFAULT_MACHINE_CLIENT.clientId,
                  clientSecret: DEFAULT_MACHINE_CLIENT.secret,
                  post: formPost(tls?.developmentCa?.caPem),
                }),
              ],
      });

const ids = "site-config,alarm-thresholds,announcements,floor-plan";
// Under --auth every call needs a token: the printed command gets its own, as the demo's machine client (start.spec.ts runs it as printed).
const caFlag = tls?.developmentCa === undefined ? "" : ` --ca ${tls.developmentCa.files.caCertPath}`;
const clientFlag = options.auth === undefined ? "" : ` --client ${DEFAULT_MACHINE_CLIENT.clientId}:${DEFAULT_MACHINE_CLIENT.secret}`;
const publishCommandLine = `npm run pub -- --server ${serverUrl}${caFlag}${clientFlag} --id announcements --text "Hello"`;
// The port bound, which differs from --app-port 0.
const bound = app.httpServer.address();
const appPort = typeof bound === "object" && bound !== null ? bound.port : options.appPort;
const dashboardOrigin = `${scheme}://${shown.includes(":") ? `[${shown}]` : shown}:${appPort}`;
const dashboardUrl = `${dashboardOrigin}/?server=${serverUrl}&ids=${ids}`;
// A named screen needs no ids: its `<screen>:config` publication says what it shows (docs/screen-config.md).
const lobbyUrl = `${dashboardOrigin}/?server=${serverUrl}&screen=lobby-display`;
const fleetUrl = `${dashboardOrigin}/?server=${serverUrl}&view=fleet`;
console.log(`
  Building dashboard:  ${dashboardUrl}
  as a named screen:   ${lobbyUrl}
                       (runs by its ${screenConfigId("lobby-display")} publication and acknowledges what it shows; the demo also has reception-display)
  fleet view:          ${fleetUrl}

  publications are kept in ${options.dataDir}
  live updates:        ${tick ? `a new announcement every ${options.tickMs! / 1000} s` : "npm run demo:tick   (or npm start -- --tick)"}
  publish by hand:     ${publishCommandLine}
  try offline:         stop this command (Ctrl-C): the open dashboard keeps its data and says how fresh it is
${tls?.developmentCa === undefined ? "" : `\n${trustInstructions(tls.developmentCa, `${dashboardOrigin}${CA_CERTIFICATE_PATH}`)}\n`}${options.auth === undefined ? "" : `\n  sign-in:             the screen shows a code and a QR code (config: ${dashboardOrigin}${UI_CONFIG_PATH}); approve it as below\n${signInInstructions(serverUrl, options.auth, tls?.developmentCa?.files.caCertPath)}\n`}${shown !== "localhost" && tls === undefined ? "\n  note: over plain http, a device other than this machine gets no offline use (browsers give service workers\n        only to https pages): npm start -- --tls --host 0.0.0.0 --name <its name>   (README: HTTPS and kiosk tablets)\n" : ""}`);

const stop = () => {
  void tick?.stop();
  void app.close();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
