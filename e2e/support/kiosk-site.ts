import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { killAtOnce, listeningUrl } from "./dev-server.js";

const run = promisify(execFile);

/** The name a tablet uses for the site's machine in these tests (Chromium maps it to 127.0.0.1). */
export const KIOSK_NAME = "kiosk.test";

/**
 * The site as a tablet meets it: `npm start -- --tls --name kiosk.test`
 * (both servers, one process, demo data seeded), reached only by name over
 * HTTPS. Stopped with SIGKILL (a power cut, a network gone) and started again
 * on the same ports and data directory — so the same CA and certificate.
 */
export class KioskSite {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dataDir: string,
    private readonly tls: boolean,
    private ports: { api: number; app: number } = { api: 0, app: 0 },
    /** The dashboard URL the command printed ("Building dashboard:"). */
    public dashboardUrl = "",
    public serverUrl = "",
  ) {}

  static async start(options: { tls?: boolean } = {}): Promise<KioskSite> {
    const site = new KioskSite(await mkdtemp(join(tmpdir(), "pubcache-kiosk-")), options.tls ?? true);
    await site.restart();
    return site;
  }

  /** The development CA's certificate (PEM), as `<data>/tls/ca.crt`. */
  caPem(): Promise<string> {
    return readFile(join(this.dataDir, "tls", "ca.crt"), "utf8");
  }

  async restart(): Promise<void> {
    const args = ["--import", "tsx", "src/dev/start.ts", "--no-build", "--name", KIOSK_NAME, "--data", this.dataDir];
    args.push("--port", String(this.ports.api), "--app-port", String(this.ports.app));
    if (this.tls) args.push("--tls");
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let stderr = "";
    let stdout = "";
    child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
    await listeningUrl(child, () => stderr, "npm start");
    const deadline = Date.now() + 30_000;
    const printedUrl = () => /Building dashboard: {2}(\S+)/.exec(stdout);
    while (!printedUrl() && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const printed = printedUrl();
    if (!printed) throw new Error(`npm start printed no dashboard URL: ${stdout}\n${stderr}`);
    this.dashboardUrl = printed[1]!;
    this.serverUrl = new URL(this.dashboardUrl).searchParams.get("server")!;
    this.ports = { api: Number(new URL(this.serverUrl).port), app: Number(new URL(this.dashboardUrl).port) };
  }

  /** Kills both servers at once (SIGKILL): a power cut or a network gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await killAtOnce(child);
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** The publication server's `/debug/stats`, asked over HTTPS trusting only the site's CA (or plain http). */
  async stats(): Promise<{ openStreams: Record<string, number>; protocols: Record<"h2" | "http/1.1", { requests: number; openStreams: number }> }> {
    const url = new URL("/debug/stats", this.serverUrl);
    url.hostname = "127.0.0.1";
    if (url.protocol === "http:") return (await (await fetch(url)).json()) as never;
    const ca = await this.caPem();
    return new Promise((resolve, reject) => {
      request(url, { ca, servername: KIOSK_NAME }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => void (body += chunk.toString()));
        res.on("end", () => resolve(JSON.parse(body) as never));
      })
        .on("error", reject)
        .end();
    });
  }
}

/**
 * A home directory whose NSS database trusts `caPem`, as a device that had
 * the site's CA installed: Chromium on Linux reads `$HOME/.pki/nssdb`
 * (`certutil` from Debian's libnss3-tools). Not --ignore-certificate-errors,
 * which would prove nothing about a real device.
 */
export async function homeTrusting(caPem: string | undefined): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "pubcache-home-"));
  const nssdb = join(home, ".pki", "nssdb");
  await mkdir(nssdb, { recursive: true });
  await run("certutil", ["-d", `sql:${nssdb}`, "-N", "--empty-password"]);
  if (caPem !== undefined) {
    const caFile = join(home, "site-ca.crt");
    await writeFile(caFile, caPem);
    await run("certutil", ["-d", `sql:${nssdb}`, "-A", "-t", "C,,", "-n", "site-ca", "-i", caFile]);
  }
  return home;
}
