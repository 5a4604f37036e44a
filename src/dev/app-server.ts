import { Agent } from "node:https";
import { join } from "node:path";
import { preview, type Plugin, type PreviewServer } from "vite";
import type { ServerTls } from "../server/tls/server-tls.js";
import { allowedNames, refuseOtherNames } from "./allowed-names.js";

/** Smart Core's web UI config document path (what the dashboard reads its sign-in settings from). */
export const UI_CONFIG_PATH = "/__/scos/config.json";

/**
 * Serves the built dashboard (`dist/`, through `vite preview`: the same
 * static server the Playwright tests use) and forwards the publication API
 * (`/smartcore.*` gRPC-Web paths) and, with `--auth`, the identity provider
 * (`/realms/…`, `/oauth2/…`, `/auth/…`) to the development server. The forwarding
 * is what lets an installed dashboard work: the manifest's `start_url` has
 * no query string, and without `server=` the page talks to its own origin.
 * With `uiConfig` it also serves that document at `/__/scos/config.json`
 * (Smart Core's convention), so the dashboard knows how to sign in.
 *
 * With `tls` it serves HTTPS — HTTP/2 and HTTP/1.1 by ALPN, Vite's own
 * listener — with the certificate the publication server uses, and forwards
 * to that server over HTTPS trusting its development CA. It answers only the
 * Host names in `names` (plus loopback and IP addresses); others get a 403
 * that says which flag to pass ({@link refuseOtherNames}).
 */
export async function startAppServer(options: {
  readonly root: string;
  readonly host: string;
  readonly port: number;
  readonly publicationServer: string;
  /** Served at {@link UI_CONFIG_PATH} when given, e.g. `{ auth: { deviceFlow: true, keycloak: {…} } }`. */
  readonly uiConfig?: unknown;
  /** Serve HTTPS with this certificate (the publication server's). */
  readonly tls?: ServerTls;
  /** Host names the dashboard is reached by, besides loopback and IP addresses. */
  readonly names?: readonly string[];
  /** The command to name in a refusal, e.g. "npm start --". */
  readonly program?: string;
}): Promise<PreviewServer> {
  const { tls } = options;
  // Forwarded calls go to our own server: trust exactly its development CA (or the system's, for a site's certificate).
  const agent = tls === undefined ? undefined : new Agent({ ca: tls.developmentCa?.caPem, keepAlive: true });
  const forward = { target: options.publicationServer, changeOrigin: true, ...(agent && { agent }) };
  const plugins = [refuseOtherNamesPlugin(allowedNames(options.names ?? []), options.program ?? "npm start --")];
  if (options.uiConfig !== undefined) plugins.push(serveUiConfig(options.uiConfig));
  return preview({
    configFile: join(options.root, "vite.config.ts"),
    logLevel: "warn",
    plugins,
    preview: {
      host: options.host,
      port: options.port,
      strictPort: true,
      // Our own check (refuseOtherNamesPlugin) replaces Vite's, whose refusal points at a config file.
      allowedHosts: true,
      ...(tls && { https: { cert: tls.certChainPem, key: tls.keyPem } }),
      proxy: {
        "^/smartcore\\.": forward,
        // The identity provider of `--auth`, so a dashboard on this origin can sign in without CORS.
        "^/(realms|oauth2|auth)/": forward,
        // The development CA's certificate, so a tablet can fetch it from the address it already has.
        "^/ca\\.crt$": forward,
      },
    },
  });
}

function refuseOtherNamesPlugin(allowed: ReadonlySet<string>, program: string): Plugin {
  return {
    name: "pubcache:refuse-other-names",
    configurePreviewServer(server) {
      server.middlewares.use(refuseOtherNames(allowed, program));
    },
  };
}

/** Answers `GET /__/scos/config.json` with `document` (never cached: a changed config applies at the next start). */
function serveUiConfig(document: unknown): Plugin {
  const body = JSON.stringify(document);
  return {
    name: "pubcache:smart-core-ui-config",
    configurePreviewServer(server) {
      server.middlewares.use(UI_CONFIG_PATH, (req, res, next) => {
        if (req.method !== "GET" && req.method !== "HEAD") return next();
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      });
    },
  };
}
