import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface DevServerOptions {
  /** `--no-pull`: streaming answers UNIMPLEMENTED. */
  readonly pull?: boolean;
  /** `--no-pull-all`: only PullPublications answers UNIMPLEMENTED. */
  readonly pullAll?: boolean;
  /** `--db-like`: answers like the database-backed server (no streams, UNKNOWN for missing rows). */
  readonly dbLike?: boolean;
  /** `--api`: serve one service path only (`v1`: smartcore.bos.publication.v1, `traits`: smartcore.traits); unset: both. */
  readonly api?: "v1" | "traits";
  readonly token?: string;
  readonly faults?: boolean;
  readonly device?: string;
  /** `--name`: the name other devices reach the server by (the identity provider's verification address uses it). */
  readonly name?: string;
  /** `--auth`: the development identity provider; every call needs its bearer JWT. */
  readonly auth?: boolean;
  /** With `auth`: `--access-ttl`, `--poll-interval` (seconds). */
  readonly accessTtlS?: number;
  readonly pollIntervalS?: number;
}

/**
 * The real development server as a child process, one per test, with its own
 * temp data dir and port. Started with `node` directly (not npm/npx, which
 * would leave the server orphaned when killed) and stopped by its own pid.
 */
export class DevServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dataDir: string,
    private readonly options: DevServerOptions,
    public port = 0,
  ) {}

  static async start(options: DevServerOptions = {}): Promise<DevServer> {
    const dataDir = await mkdtemp(join(tmpdir(), "pubcache-e2e-"));
    const server = new DevServer(dataDir, options);
    await server.restart();
    return server;
  }

  /** `http://127.0.0.1:<port>` — a different origin from the page on localhost, so CORS is exercised. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and data dir. */
  async restart(): Promise<void> {
    const args = ["--import", "tsx", "src/server/cli.ts", "--port", String(this.port), "--data", this.dataDir];
    if (this.options.pull === false) args.push("--no-pull");
    if (this.options.pullAll === false) args.push("--no-pull-all");
    if (this.options.dbLike) args.push("--db-like");
    if (this.options.api) args.push("--api", this.options.api);
    if (this.options.token) args.push("--token", this.options.token);
    if (this.options.faults) args.push("--faults");
    if (this.options.device) args.push("--device", this.options.device);
    if (this.options.name) args.push("--name", this.options.name);
    if (this.options.auth) args.push("--auth");
    if (this.options.accessTtlS) args.push("--access-ttl", String(this.options.accessTtlS));
    if (this.options.pollIntervalS) args.push("--poll-interval", String(this.options.pollIntervalS));
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const url = await listeningUrl(child, () => stderr, "dev server");
    this.port = Number(new URL(url).port);
  }

  /** Kills the process at once (SIGKILL): connections drop as in a network loss. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await killAtOnce(child);
  }

  /** Stops the server and removes its data dir. */
  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** `GET /debug/stats`. */
  async stats(): Promise<{ openStreams: Record<string, number>; calls: Record<string, number> }> {
    const response = await fetch(`${this.url}/debug/stats`);
    return (await response.json()) as { openStreams: Record<string, number>; calls: Record<string, number> };
  }

  /** Open upstream streams by kind: one PullPublications per device is the design. */
  async streams(): Promise<{ device: number; perPublication: number }> {
    const { openStreams } = await this.stats();
    return { device: openStreams.PullPublications ?? 0, perPublication: openStreams.PullPublication ?? 0 };
  }

  /** POSTs a test-only fault endpoint (`/faults/...`). */
  async fault(path: string): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, { method: "POST" });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

/** SIGKILLs a spawned server (if still running) and resolves once it has exited: connections drop as in a network loss. */
export async function killAtOnce(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/**
 * The URL a spawned development server prints once it listens ("listening
 * on http://…"); rejects, with what it wrote to stderr, when it exits first
 * or has not started within 30 s.
 */
export function listeningUrl(child: ChildProcess, stderr: () => string, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time: ${stderr()}`)), 30_000);
    lines.on("line", (line) => {
      const match = /listening on (https?:\/\/\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${stderr()}`));
    });
  });
}
