import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningUrl, runCli, spawnCli, type RunningCli } from "../testing/child-process.js";
import { readServerCommandLine } from "../server-command-line.js";
import { bearer, publicationClient, startTestServer, statusOf } from "../testing/test-server.js";
import { approveCommand } from "./approve-command.js";
import { accessTokenOf, endpointsOf, passwordGrant, pollDevice, postQuery, refreshGrant, startDevice } from "./testing/oauth-requests.js";

let base: string;
let server: RunningCli;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "idp-cli-"));
  server = spawnCli("src/server/cli.ts", ["--port", "0", "--data", join(base, "data"), "--auth", "--access-ttl", "7", "--refresh-ttl", "9", "--faults"]);
});
afterAll(async () => {
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await rm(base, { recursive: true, force: true });
});

/** Runs the approve command in-process, capturing its two streams. */
async function approve(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await approveCommand(args, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("npm run server -- --auth (src/server/cli.ts) as a process", () => {
  it("issues tokens with the --access-ttl and --refresh-ttl lifetimes, checks them on every call, mounts the revoke fault", async () => {
    const url = await listeningUrl(server);
    const signedIn = await passwordGrant(url);
    expect(signedIn.body).toMatchObject({ expires_in: 7, refresh_expires_in: 9 });
    expect(await statusOf(publicationClient(url).listPublications({}))).toBe(Code.Unauthenticated);
    expect(await statusOf(publicationClient(url, [bearer(accessTokenOf(signedIn))]).listPublications({}))).toBe("ok");
    expect((await postQuery(endpointsOf(url).revokeRefreshTokensFault)).body).toEqual({ revoked: 1 });
    expect((await refreshGrant(url, signedIn.body.refresh_token as string)).body.error).toBe("invalid_grant");
  });

  it("a person approves a screen's code with npm run auth:approve (spawned), then the screen's poll gets tokens", async () => {
    const url = await listeningUrl(server);
    const device = await startDevice(url);
    const typed = device.user_code.toLowerCase();
    const approved = await runCli("src/server/idp/approve-cli.ts", ["--server", url, "--code", typed]);
    expect(approved).toEqual({ code: 0, stdout: `approved ${device.user_code} as admin (client dashboard)\n`, stderr: "" });
    const granted = await pollDevice(url, device.device_code);
    expect(granted.status).toBe(200);

    const again = await runCli("src/server/idp/approve-cli.ts", ["--server", url, "--code", device.user_code, "--deny"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("auth:approve: No sign-in is waiting for that code. Check the code on the screen.\n");

    // The server's output never shows a credential.
    const printed = server.stdout() + server.stderr();
    for (const secret of [device.device_code, device.user_code, granted.body.access_token as string, granted.body.refresh_token as string]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toMatch(/^auth: device sign-in approved as "admin" client="dashboard"$/m);
  });
});

describe("the approve command", () => {
  it("denies with --deny; approves as --user", async () => {
    const t = await startTestServer({ auth: {} });
    try {
      const a = await startDevice(t.url);
      expect(await approve(["--server", t.url, "--code", a.user_code, "--deny"])).toEqual({ code: 0, stdout: `denied ${a.user_code} (client dashboard)`, stderr: "" });
      expect((await pollDevice(t.url, a.device_code)).body.error).toBe("access_denied");
      const b = await startDevice(t.url);
      expect((await approve(["--server", `${t.url}/`, "--code", b.user_code, "--user", "denied"])).stdout).toBe(`approved ${b.user_code} as denied (client dashboard)`);
      const unknownUser = await approve(["--server", t.url, "--code", (await startDevice(t.url)).user_code, "--user", "mallory"]);
      expect(unknownUser).toEqual({ code: 1, stdout: "", stderr: "auth:approve: no such user" });
    } finally {
      await t.stop();
    }
  });

  it("one line and exit 1 for a server without --auth, an unreachable server, a bad command line", async () => {
    const plain = await startTestServer();
    try {
      expect((await approve(["--server", plain.url, "--code", "BBBB-BBBB"])).stderr).toBe(
        `auth:approve: ${plain.url} has no identity provider (start it with --auth)`,
      );
    } finally {
      await plain.stop();
    }
    const unreachable = await approve(["--server", "http://127.0.0.1:1", "--code", "BBBB-BBBB"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^auth:approve: cannot reach http:\/\/127\.0\.0\.1:1: /);
    for (const args of [["--code", "X"], ["--server", "http://x"], ["--server", "x", "--code", "X"], ["--server", "http://x", "--code", "X", "--deny", "--user", "a"], ["--what"]]) {
      const bad = await approve(args);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^auth:approve: .*\nusage: npm run auth:approve/);
    }
  });
});

describe("the server command line's auth flags", () => {
  it("--auth with lifetimes becomes the auth option; without --auth there is none", () => {
    expect(readServerCommandLine(["--data", "d"])).toMatchObject({ auth: undefined });
    expect(readServerCommandLine(["--data", "d", "--auth"])).toMatchObject({ auth: {} });
    expect(
      readServerCommandLine(["--data", "d", "--auth", "--access-ttl", "60", "--refresh-ttl", "600", "--device-code-ttl", "30", "--poll-interval", "2"]),
    ).toMatchObject({ auth: { accessTtlS: 60, refreshTtlS: 600, deviceCodeTtlS: 30, pollIntervalS: 2 } });
  });

  it("rejects a lifetime without --auth, a lifetime that is not whole seconds above 0, and --token with --auth", () => {
    expect(() => readServerCommandLine(["--data", "d", "--access-ttl", "60"])).toThrow("--access-ttl needs --auth");
    expect(() => readServerCommandLine(["--data", "d", "--auth", "--refresh-ttl", "0"])).toThrow("--refresh-ttl must be a whole number of seconds above 0");
    expect(() => readServerCommandLine(["--data", "d", "--auth", "--access-ttl", "1.5"])).toThrow("--access-ttl must be");
    expect(() => readServerCommandLine(["--data", "d", "--auth", "--token", "t"])).toThrow("use either --token or --auth, not both");
  });
});
