import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * A private copy of `dist/` served on its own port, for tests that change
 * the built files (e.g. ship a new worker version) without disturbing the
 * shared preview server.
 */
export class StaticCopy {
  private constructor(
    readonly dir: string,
    private readonly server: Server,
    readonly port: number,
    private readonly host: string,
  ) {}

  /** `host`: the interface to listen on, and the origin's name; default `localhost`. */
  static async of(distDir: string, options: { host?: string } = {}): Promise<StaticCopy> {
    const host = options.host ?? "localhost";
    const dir = await mkdtemp(join(tmpdir(), "pubcache-dist-"));
    await cp(distDir, dir, { recursive: true });
    const server = createServer((req, res) => {
      const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
      const file = join(dir, path === "/" ? "index.html" : path);
      readFile(file).then(
        (body) => {
          res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
          res.end(body);
        },
        () => {
          res.writeHead(404);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    return new StaticCopy(dir, server, address.port, host);
  }

  get origin(): string {
    return `http://${this.host}:${this.port}`;
  }

  async dispose(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.dir, { recursive: true, force: true });
  }
}
