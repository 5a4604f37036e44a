import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import type { TLSSocket } from "node:tls";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningUrl, runCli, spawnCli, type RunningCli } from "../server/testing/child-process.js";
import { eventually } from "../server/testing/test-server.js";

let base: string;
let demo: RunningCli;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "start-tls-"));
  demo = spawnCli("src/dev/start.ts", ["--tls", "--name", "kiosk.test", "--no-build", "--port", "0", "--app-port", "0", "--tick", "1", "--data", join(base, "demo")]);
});
afterAll(async () => {
  if (demo.child.exitCode === null) {
    demo.child.kill("SIGTERM");
    await demo.exited;
  }
  await rm(base, { recursive: true, force: true });
});

/** A GET to 127.0.0.1 that presents `name` (SNI; and as Host unless `host` is given) and trusts only `ca`. */
function getAs(url: string, name: string, ca: string, host = name): Promise<{ status: number; body: string; cert: X509Certificate }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: target.port, path: target.pathname, servername: name, headers: { host: `${host}:${target.port}` }, ca, agent: false },
      (res) => {
        const cert = new X509Certificate((res.socket as TLSSocket).getPeerX509Certificate()!.raw);
        let body = "";
        res.on("data", (chunk: Buffer) => void (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, cert }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// Child processes compile with tsx at start: on a loaded 2-core machine that alone can take 20 s.
describe("npm start -- --tls --name kiosk.test", { timeout: 90_000 }, () => {
  it("makes a CA on first run, prints how to trust it and the https URLs by name, and serves both servers with it", async () => {
    await listeningUrl(demo);
    await eventually(() => demo.stdout().includes("Firefox:"), 45_000);
    const printed = demo.stdout();
    const caPath = join(base, "demo", "tls", "ca.crt");
    const caPem = await readFile(caPath, "utf8");
    const ca = new X509Certificate(caPem);
    expect(printed).toContain(`CA certificate:    ${caPath}`);
    expect(printed).toContain(`SHA-256:           ${ca.fingerprint256}`);
    for (const platform of ["Android:", "iPadOS:", "ChromeOS:", "Windows:", "macOS:", "Linux/Chromium:"]) expect(printed).toContain(platform);

    const dashboard = /Building dashboard: {2}(https:\/\/kiosk\.test:(\d+))\/\?server=(https:\/\/kiosk\.test:\d+)&/.exec(printed);
    expect(dashboard, printed).not.toBeNull();
    const [, dashboardOrigin, , serverUrl] = dashboard!;
    expect(printed).toContain(`download it at:    ${dashboardOrigin}/ca.crt`);

    // Both servers present a certificate for the name, signed by that CA; the CA is downloadable, the key is not.
    const page = await getAs(`${dashboardOrigin}/ca.crt`, "kiosk.test", caPem);
    expect(page.status).toBe(200);
    expect(page.body.trim()).toBe(caPem.trim());
    expect(page.cert.checkHost("kiosk.test")).toBe("kiosk.test");
    expect(page.cert.checkIssued(ca)).toBe(true);
    const api = await getAs(`${serverUrl}/healthz`, "kiosk.test", caPem);
    expect(api.body).toBe("ok\n");

    // Another name gets a refusal that says what to pass, not Vite's.
    const other = await getAs(`${dashboardOrigin}/`, "kiosk.test", caPem, "wall-9.site");
    expect(other.status).toBe(403);
    expect(other.body).toContain("npm start -- --name wall-9.site");

    // The ticker publishes over https, trusting the development CA.
    await eventually(() => /^demo tick: published announcements version /m.test(demo.stdout()), 45_000);
  });

  it("refuses --cert without --key in one line", async () => {
    const run = await runCli("src/dev/start.ts", ["--cert", "x.pem", "--no-build"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^start: --cert and --key go together\n/);
  });
});
