/**
 * What the HTTPS benchmarks share: one private CA and server certificate
 * (the development server's own, made by `loadServerTls` as `--tls --name
 * kiosk.test` makes it), publication servers started with `--tls` on a copy
 * of it, the bench app served over HTTPS (HTTP/2 and HTTP/1.1 by ALPN: Vite's
 * listener), and a Chromium that trusts the CA the way a kiosk does — an NSS
 * database under a temp $HOME (e2e/support/kiosk-site.ts), the name mapped to
 * 127.0.0.1, never --ignore-certificate-errors.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "@playwright/test";
import { preview } from "vite";
import { CHROMIUM_ARGS, requireChromium } from "../../e2e/support/chromium.js";
import { DevServer, listeningUrl } from "../../e2e/support/dev-server.js";
import { homeTrusting, KIOSK_NAME } from "../../e2e/support/kiosk-site.js";
import { systemClock } from "../../src/platform/system-clock.js";
import { certificateNames, loadServerTls, type ServerTls } from "../../src/server/tls/server-tls.js";
import { freePort, REPO } from "./builds.js";
import type { BrowserEnv } from "./env.js";

export { KIOSK_NAME };

const run = promisify(execFile);

/** Open streams per HTTP protocol, as `/debug/stats` counts them. */
export type ProtocolStats = Record<"h2" | "http/1.1", { requests: number; openStreams: number }>;

/** A development server's `/debug/stats`, the fields the benchmarks read. */
export interface ServerStats {
  readonly openStreams: Record<string, number>;
  readonly protocols: ProtocolStats;
}

/** A publication server the browser benchmarks can drive, plain or HTTPS. */
export interface BenchServer {
  /** The address the browser uses. */
  readonly url: string;
  /** The address the bench's Node publisher uses, and the CA it must trust (HTTPS). */
  readonly publishUrl: string;
  readonly ca?: string;
  readonly port: number;
  stats(): Promise<ServerStats>;
  streams(): Promise<{ device: number; perPublication: number }>;
  dispose(): Promise<void>;
}

/**
 * The site's TLS material in a temp directory: the development CA and a
 * server certificate for loopback, this host and kiosk.test — exactly what
 * `pubcache-server --tls --name kiosk.test` makes (and then reuses) in
 * `<data>/tls`.
 */
export class HttpsSite {
  private constructor(
    private readonly dir: string,
    readonly tls: ServerTls,
  ) {}

  static async create(): Promise<HttpsSite> {
    const dir = await mkdtemp(join(tmpdir(), "pubcache-bench-tls-"));
    const tls = await loadServerTls(dir, { kind: "development", names: certificateNames("127.0.0.1", [KIOSK_NAME]) }, systemClock);
    return new HttpsSite(dir, tls);
  }

  get caPem(): string {
    const ca = this.tls.developmentCa?.caPem;
    if (ca === undefined) throw new Error("the bench's TLS material has no development CA");
    return ca;
  }

  /**
   * `pubcache-server --tls --name kiosk.test` on a data directory of its own
   * holding a copy of the site's `tls/` (so it presents the same certificate).
   */
  async startServer(options: { pullAll?: boolean } = {}): Promise<BenchServer> {
    const dataDir = await mkdtemp(join(tmpdir(), "pubcache-bench-h2-"));
    await cp(join(this.dir, "tls"), join(dataDir, "tls"), { recursive: true });
    const args = ["--import", "tsx", "src/server/cli.ts", "--port", "0", "--data", dataDir, "--tls", "--name", KIOSK_NAME];
    if (options.pullAll === false) args.push("--no-pull-all");
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const listening = new URL(await listeningUrl(child, () => stderr, "HTTPS dev server"));
    const port = Number(listening.port);
    const ca = this.caPem;
    const stats = () => httpsJson<ServerStats>(`https://127.0.0.1:${port}/debug/stats`, ca);
    return {
      url: `https://${KIOSK_NAME}:${port}`,
      publishUrl: `https://127.0.0.1:${port}`,
      ca,
      port,
      stats,
      streams: async () => streamsOf(await stats()),
      dispose: async () => {
        await killChild(child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }

  /** Serves a built directory over HTTPS (h2 and HTTP/1.1) on 127.0.0.1, as `https://kiosk.test:<port>`. */
  async serveBuilt(outDir: string): Promise<{ url: string; close(): Promise<void> }> {
    const port = await freePort();
    const server = await preview({
      configFile: false,
      root: REPO,
      logLevel: "warn",
      build: { outDir },
      preview: {
        port,
        strictPort: true,
        host: "127.0.0.1",
        open: false,
        allowedHosts: [KIOSK_NAME],
        https: { cert: this.tls.certChainPem, key: this.tls.keyPem },
      },
    });
    return { url: `https://${KIOSK_NAME}:${port}`, close: () => server.close() };
  }

  /**
   * Chromium as a kiosk that installed the site's CA: the bench's flags, a
   * temp $HOME whose NSS database trusts the CA, kiosk.test mapped to
   * 127.0.0.1. Plain http to localhost works in it as in the bench's own browser.
   */
  async launchTrustingChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
    const home = await homeTrusting(this.caPem);
    const browser = await chromium.launch({
      executablePath: requireChromium(),
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${KIOSK_NAME} 127.0.0.1`],
      env: { ...process.env, HOME: home },
    });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => {});
        await rm(home, { recursive: true, force: true });
      },
    };
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Everything an HTTPS benchmark needs, set up and torn down in one place:
 * the site's certificate, the app over HTTPS, a browser that trusts the CA.
 * The plain-HTTP baseline runs in the same browser against the runner's
 * own app server (`env.appOrigin`, http://localhost) and a plain server.
 */
export async function withHttpsSite<T>(
  env: BrowserEnv,
  appDir: string,
  work: (site: HttpsSite, envs: { https: BrowserEnv; http: BrowserEnv }) => Promise<T>,
): Promise<T> {
  const site = await HttpsSite.create();
  const cleanup: Array<() => Promise<void>> = [() => site.dispose()];
  try {
    const app = await site.serveBuilt(appDir);
    cleanup.unshift(() => app.close());
    const trusting = await site.launchTrustingChromium();
    cleanup.unshift(() => trusting.close());
    const http: BrowserEnv = { ...env, browser: trusting.browser };
    return await work(site, { http, https: { ...http, appOrigin: app.url } });
  } finally {
    for (const step of cleanup) await step().catch(() => {});
  }
}

/** The plain-HTTP development server (`http://127.0.0.1:<port>`, HTTP/1.1), the baseline. */
export async function startPlainServer(options: { pullAll?: boolean } = {}): Promise<BenchServer> {
  const server = await DevServer.start(options);
  const stats = async () => (await server.stats()) as unknown as ServerStats;
  return {
    url: server.url,
    publishUrl: server.url,
    port: server.port,
    stats,
    streams: () => server.streams(),
    dispose: () => server.dispose(),
  };
}

/**
 * Throws unless every stream open on `server` runs over `protocol`: a row
 * that claims h2 must not have measured HTTP/1.1 (or the reverse).
 */
export async function expectProtocol(server: BenchServer, protocol: "h2" | "http/1.1"): Promise<void> {
  const { protocols } = await server.stats();
  const other = protocol === "h2" ? "http/1.1" : "h2";
  if (protocols[protocol].openStreams === 0 || protocols[other].openStreams > 0) {
    throw new Error(`expected every open stream over ${protocol} on ${server.url}: ${JSON.stringify(protocols)}`);
  }
}

/** Open PullPublications / PullPublication streams from `/debug/stats`. */
export function streamsOf(stats: ServerStats): { device: number; perPublication: number } {
  return { device: stats.openStreams.PullPublications ?? 0, perPublication: stats.openStreams.PullPublication ?? 0 };
}

/**
 * Chromium's established TCP connections to `port` on this machine
 * (`ss -tnp`, counted on the client side and only Chromium's sockets, so
 * the bench's own calls to `/debug/stats` are not counted). NaN when `ss`
 * cannot say.
 */
export async function chromiumConnections(port: number): Promise<number> {
  try {
    const { stdout } = await run("ss", ["-Htnp", "state", "established", `( dport = :${port} )`]);
    return stdout.split("\n").filter((line) => line.includes('"chromium"')).length;
  } catch {
    return Number.NaN;
  }
}

/** GET `url` over HTTPS trusting only `ca`, as kiosk.test, on a connection of its own (closed after). */
function httpsJson<T>(url: string, ca: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request(url, { ca, servername: KIOSK_NAME, agent: false, headers: { connection: "close" } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => void (body += chunk.toString()));
      res.on("end", () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    })
      .on("error", reject)
      .end();
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
