import { spawn, type ChildProcess } from "node:child_process";

/**
 * A virtual X server for WebKitGTK's MiniBrowser (it has no headless mode),
 * on a display number the server picks itself (`-displayfd`: no clash with
 * another run or a desktop) and stopped by its own pid.
 */
export class Xvfb {
  private constructor(
    private readonly child: ChildProcess,
    /** e.g. ":3", for `DISPLAY`. */
    readonly display: string,
  ) {}

  static async start(executable: string): Promise<Xvfb> {
    // fd 3 is where Xvfb writes the display number it chose.
    const child = spawn(executable, ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    // Never outlive this process, whatever ends it.
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    child.once("exit", () => process.removeListener("exit", killOnExit));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const number = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display in 20 s: ${stderr}`)), 20_000);
      let out = "";
      child.stdio[3]?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) {
          clearTimeout(timer);
          resolve(out.trim());
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited with ${code}: ${stderr}`));
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return new Xvfb(child, `:${number}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}
