/**
 * Spawning this package's TypeScript CLIs in tests: `node --import tsx <file>`
 * directly (not through npm, whose pid is not the program's), so a test can
 * signal and await the real process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves to the exit code (or the signal name) once the process ends. */
  readonly exited: Promise<number | string>;
}

export function spawnCli(file: string, args: string[]): RunningCli {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs a CLI to completion. */
export async function runCli(file: string, args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = spawnCli(file, args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Resolves to the URL of the `listening on <url>` line; rejects if the process exits first. */
export async function listeningUrl(run: RunningCli, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    const match = /^listening on (https?:\/\/\S+)$/m.exec(run.stdout());
    if (match !== null) return match[1]!;
    if (exited) throw new Error(`exited before listening: ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no listening line in time: ${run.stdout()} ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
