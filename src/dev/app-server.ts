import { join } from "node:path";
import { preview, type PreviewServer } from "vite";

/**
 * Serves the built dashboard (`dist/`, through `vite preview`: the same
 * static server the Playwright tests use) and forwards the publication API
 * (`/smartcore.*` gRPC-Web paths) and, with `--auth`, the identity provider
 * (`/realms/…`, `/oauth2/…`, `/auth/…`) to the development server. The forwarding
 * is what lets an installed dashboard work: the manifest's `start_url` has
 * no query string, and without `server=` the page talks to its own origin.
 */
export async function startAppServer(options: {
  readonly root: string;
  readonly host: string;
  readonly port: number;
  readonly publicationServer: string;
}): Promise<PreviewServer> {
  return preview({
    configFile: join(options.root, "vite.config.ts"),
    logLevel: "warn",
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
