import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listeningUrl } from "../../e2e/support/dev-server.js";
import { REPO } from "./builds.js";

/** What the server process spent, as it reports it. */
export interface ServerUsage {
  /** User + system CPU time since the process started. */
  readonly cpuMs: number;
  /** The same after the collections this measurement forced (so a phase's CPU can leave them out). */
  readonly cpuAfterMs: number;
  readonly rssBytes: number;
  /** Used V8 heap after two full collections. */
  readonly heapUsedBytes: number;
  /** Memory of C++ objects bound to JS ones (sockets' buffers among them). */
  readonly externalBytes: number;
  /** False when the process was not started with --expose-gc (heap figures then include garbage). */
  readonly collected: boolean;
}

export interface MeasuredServer {
  readonly url: string;
  readonly pid: number;
  /** CPU time and memory of the server process now. */
  usage(): Promise<ServerUsage>;
  /** Kills the process and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts the development server (`src/server/cli.ts` inside
 * `measured-server.ts`) as a child process with `node` (not npm) on a free
 * port of 127.0.0.1 and a temporary data directory; `args` are more CLI
 * flags (e.g. `--no-pull-all`). Its log lines are read and dropped.
 */
export async function startMeasuredServer(args: readonly string[] = []): Promise<MeasuredServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "pubcache-bench-"));
  const entry = join(REPO, "bench/support/measured-server.ts");
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", "--import", "tsx", entry, "--port", "0", "--data", dataDir, ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const dispose = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child, () => stderr, "the server");
    return {
      url,
      pid: child.pid!,
      usage: () =>
        new Promise<ServerUsage>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("the server did not report its usage")), 30_000);
          child.once("message", (message) => {
            clearTimeout(timer);
            resolve(message as ServerUsage);
          });
          child.send({ type: "usage" });
        }),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
