import { join } from "node:path";
import { preview, type Plugin, type PreviewServer } from "vite";

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
 */
export async function startAppServer(options: {
  readonly root: string;
  readonly host: string;
  readonly port: number;
  readonly publicationServer: string;
  /** Served at {@link UI_CONFIG_PATH} when given, e.g. `{ auth: { deviceFlow: true, keycloak: {…} } }`. */
  readonly uiConfig?: unknown;
}): Promise<PreviewServer> {
  return preview({
    configFile: join(options.root, "vite.config.ts"),
    logLevel: "warn",
    plugins: options.uiConfig === undefined ? [] : [serveUiConfig(options.uiConfig)],
    preview: {
      host: options.host,
      port: options.port,
      strictPort: true,
      proxy: {
        "^/smartcore\\.": { target: options.publicationServer, changeOrigin: true },
        // The identity provider of `--auth`, so a dashboard on this origin can sign in without CORS.
        "^/(realms|oauth2|auth)/": { target: options.publicationServer, changeOrigin: true },
      },
    },
  });
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
