import { parseArgs } from "node:util";
import { AUTH_FLAGS, AUTH_USAGE, readAuthFlags } from "./idp/auth-command-line.js";
import { publicNameOf } from "./idp/public-name.js";
import { parsePort, type ServeOptions } from "./serve.js";
import { TLS_FLAGS, TLS_USAGE, readTlsFlags } from "./tls/tls-command-line.js";

export const SERVER_USAGE = `usage: pubcache-server --data <dir> [--port <n>] [--host <addr>] [--device <name>] [--no-pull | --no-pull-all] [--db-like] [--api v1|traits] [--token <secret> | --auth [--access-ttl <s>] [--refresh-ttl <s>]] [--faults]
       [--tls [--name <dns-or-ip>]... | --cert <pem> --key <pem>]
  --data <dir>      where publications are kept (created if missing)
  --port <n>        TCP port, 0 for any free one (default 8700)
  --host <addr>     interface to listen on (default 127.0.0.1)
  --device <name>   this server's Smart Core device name; other names get NOT_FOUND
  --no-pull         PullPublication and PullPublications answer UNIMPLEMENTED: clients must poll
  --no-pull-all     only PullPublications answers UNIMPLEMENTED; PullPublication still streams
  --db-like         answer exactly like the database-backed server (no streams, read masks ignored,
                    an audience on every publication, UNKNOWN for missing rows, random versions
                    with past versions kept, no update masks): see README
  --api v1|traits   serve one service path only: v1 = /smartcore.bos.publication.v1.PublicationApi/*,
                    traits = /smartcore.traits.PublicationApi/*; the other answers UNIMPLEMENTED
                    (default: both, as Smart Core BOS does today)
  --token <secret>  every call needs "authorization: Bearer <secret>"
${AUTH_USAGE}
${TLS_USAGE}
  --faults          enable the test-only /faults/... endpoints
(in this repository: npm run server -- <flags>)`;

/**
 * The server options `npm run server` arguments ask for (logging to stdout),
 * or `"help"`. Throws an Error with a one-line message for a bad command line.
 */
export function readServerCommandLine(args: string[]): ServeOptions | "help" {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: "string" },
      port: { type: "string", default: "8700" },
      host: { type: "string", default: "127.0.0.1" },
      device: { type: "string" },
      "no-pull": { type: "boolean", default: false },
      "no-pull-all": { type: "boolean", default: false },
      "db-like": { type: "boolean", default: false },
      api: { type: "string" },
      token: { type: "string" },
      faults: { type: "boolean", default: false },
      ...AUTH_FLAGS,
      ...TLS_FLAGS,
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  if (values.data === undefined || values.data === "") throw new Error("--data <dir> is required");
  if (values.token === "") throw new Error("--token must not be empty");
  const api = values.api;
  if (api !== undefined && api !== "v1" && api !== "traits") throw new Error(`--api must be v1 or traits, not ${JSON.stringify(api)}`);
  const authFlags = readAuthFlags(values);
  if (authFlags !== undefined && values.token !== undefined) throw new Error("use either --token or --auth, not both");
  // The verification address a screen shows must open on a phone: the server's public name, when it has one.
  const publicName = publicNameOf(values.name, values.host);
  const auth = authFlags && publicName !== undefined ? { ...authFlags, publicName } : authFlags;
  return {
    dataDir: values.data,
    port: parsePort(values.port, "--port"),
    host: values.host,
    device: values.device,
    pull: !values["no-pull"],
    pullAll: !values["no-pull-all"],
    dbLike: values["db-like"],
    api,
    token: values.token,
    auth,
    faults: values.faults,
    tlsRequest: readTlsFlags(values, values.host),
    logger: (line) => console.log(line),
  };
}
