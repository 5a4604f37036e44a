import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { EXAMPLES_WORK } from "../../support/workspace.js";

const run = promisify(execFile);

/**
 * The development server as an embedder's tests run it: `npx pubcache-server`
 * in the examples' install, on a free port and its own data folder. npx
 * starts the server as its child, so the server is started in a process
 * group of its own and killed with the group.
 */
export class NpxServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<NpxServer> {
    const dataDir = await mkdtemp(join(tmpdir(), "pubcache-example-data-"));
    const child = spawn("npx", ["--no-install", "pubcache-server", "--port", "0", "--data", dataDir], {
      cwd: EXAMPLES_WORK,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npx pubcache-server did not start in time: ${stderr}`)), 30_000);
      createInterface({ input: child.stdout }).on("line", (line) => {
        const match = /listening on (https?:\/\/\S+)/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`npx pubcache-server exited with ${code}: ${stderr}`));
      });
    });
    return new NpxServer(child, url, dataDir);
  }

  /** `npx pubcache-publish`: creates or updates a text publication; resolves to its new version. */
  async publish(id: string, text: string): Promise<string> {
    const { stdout } = await run("npx", ["--no-install", "pubcache-publish", "--server", this.url, "--id", id, "--text", text], {
      cwd: EXAMPLES_WORK,
      timeout: 30_000,
    });
    return stdout.trim();
  }

  /** `GET /debug/stats`: open streams per method. */
  async openStreams(): Promise<Record<string, number>> {
    const response = await fetch(`${this.url}/debug/stats`);
    return ((await response.json()) as { openStreams: Record<string, number> }).openStreams;
  }

  /** Kills npx and the server at once (SIGKILL to the group): connections drop as in a network loss. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    process.kill(-this.child.pid!, "SIGKILL");
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
