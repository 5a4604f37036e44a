import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningUrl, runCli, spawnCli, type RunningCli } from "./testing/child-process.js";
import { readServerCommandLine } from "./server-command-line.js";
import { bearer, eventually, publicationClient, statusOf } from "./testing/test-server.js";

const CLI = "src/server/cli.ts";

// The processes start together: each spends about a second loading TypeScript and Connect.
let base: string;
let allFlags: RunningCli;
let defaults: RunningCli;
let noPullAll: RunningCli;
let badDataDir: Promise<Awaited<ReturnType<typeof runCli>>>;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "pubserver-cli-"));
  await writeFile(join(base, "a-file"), "");
  allFlags = spawnCli(CLI, ["--port", "0", "--data", join(base, "all"), "--device", "bms-1", "--no-pull", "--db-like", "--token", "s3cret", "--faults"]);
  noPullAll = spawnCli(CLI, ["--port", "0", "--data", join(base, "no-pull-all"), "--no-pull-all"]);
  defaults = spawnCli(CLI, ["--port", "0", "--data", join(base, "defaults")]);
  badDataDir = runCli(CLI, ["--port", "0", "--data", join(base, "a-file", "data")]);
});
afterAll(async () => {
  for (const run of [allFlags, defaults, noPullAll]) if (run.child.exitCode === null) run.child.kill("SIGKILL");
  await rm(base, { recursive: true, force: true });
});

// Child processes compile with tsx at start: on a loaded 2-core machine that alone can take 20 s.
describe("npm run server (src/server/cli.ts) as a process", { timeout: 90_000 }, () => {
  it("with every flag: prints the listening line, applies --device, --no-pull, --db-like, --token, --faults, exits 0 on SIGTERM", async () => {
    const url = await listeningUrl(allFlags);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const anonymous = publicationClient(url);
    const client = publicationClient(url, [bearer("s3cret")]);
    expect(await statusOf(anonymous.listPublications({}))).toBe(Code.Unauthenticated); // --token
    await client.createPublication({ name: "bms-1", publication: { id: "a" } });
    expect(await statusOf(client.getPublication({ name: "bms-2", id: "a" }))).toBe(Code.NotFound); // --device
    expect(await statusOf(client.pullPublication({ id: "a" }))).toBe(Code.Unimplemented); // --no-pull
    expect(await statusOf(client.pullPublications({}))).toBe(Code.Unimplemented);
    expect(await statusOf(client.getPublication({ id: "missing" }))).toBe(Code.Unknown); // --db-like
    expect(await statusOf(client.createPublication({ publication: { body: new Uint8Array([1]) } }))).toBe(Code.InvalidArgument);
    expect((await fetch(`${url}/faults/reset`, { method: "POST" })).status).toBe(200); // --faults
    expect(allFlags.stdout()).toMatch(/^CreatePublication id="a" outcome=ok \d+ms open_streams=0$/m);

    allFlags.child.kill("SIGTERM");
    expect(await allFlags.exited).toBe(0);
    expect(allFlags.stdout()).toContain("server closed");
    expect(allFlags.stdout()).not.toContain("s3cret");
  });

  it("by default: streams, no faults, no token; SIGINT ends open streams and exits 0", async () => {
    const url = await listeningUrl(defaults);
    const client = publicationClient(url);
    expect((await fetch(`${url}/faults/reset`, { method: "POST" })).status).toBe(404);
    await client.createPublication({ publication: { id: "a" } });
    const streamEnded = (async () => {
      try {
        for await (const _ of client.pullPublications({}));
        return "ok";
      } catch (err) {
        return ConnectError.from(err).code;
      }
    })();
    const stats = async () => (await (await fetch(`${url}/debug/stats`)).json()) as { openStreams: Record<string, number> };
    await eventually(async () => (await stats()).openStreams.PullPublications === 1);

    defaults.child.kill("SIGINT");
    expect(await defaults.exited).toBe(0);
    expect(await streamEnded).toBe(Code.Unavailable);
  });

  it("with --no-pull-all: PullPublications answers UNIMPLEMENTED while PullPublication streams", async () => {
    const url = await listeningUrl(noPullAll);
    const client = publicationClient(url);
    await client.createPublication({ publication: { id: "a" } });
    expect(await statusOf(client.pullPublications({}))).toBe(Code.Unimplemented);
    expect(await statusOf(client.pullPublication({ id: "a" }))).toBe("ok"); // the stream sent the current value
    expect(await statusOf(client.getPublication({ id: "missing" }))).toBe(Code.NotFound); // not db-like
    noPullAll.child.kill("SIGTERM");
    expect(await noPullAll.exited).toBe(0);
  });

  it("exits 1 with one line (no stack trace) for an unusable data directory", async () => {
    const { code, stdout, stderr } = await badDataDir;
    expect(code).toBe(1);
    expect(stdout).not.toContain("listening");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^server: cannot create data directory .*a-file\/data: /);
  });
});

describe("the server command line", () => {
  it("reads every flag, with defaults port 8700 and host 127.0.0.1", () => {
    expect(readServerCommandLine(["--data", "d"])).toMatchObject({
      dataDir: "d",
      port: 8700,
      host: "127.0.0.1",
      pull: true,
      pullAll: true,
      dbLike: false,
      faults: false,
      token: undefined,
      device: undefined,
    });
    expect(
      readServerCommandLine(["--data", "d", "--port", "0", "--host", "0.0.0.0", "--device", "x", "--no-pull", "--no-pull-all", "--db-like", "--token", "t", "--faults"]),
    ).toMatchObject({ dataDir: "d", port: 0, host: "0.0.0.0", device: "x", pull: false, pullAll: false, dbLike: true, token: "t", faults: true });
    expect(readServerCommandLine(["--data", "d", "--no-pull-all"])).toMatchObject({ pull: true, pullAll: false, dbLike: false });
    expect(readServerCommandLine(["--help"])).toBe("help");
    expect(readServerCommandLine(["--data", "d"])).toMatchObject({ api: undefined }); // both paths
    expect(readServerCommandLine(["--data", "d", "--api", "v1"])).toMatchObject({ api: "v1" });
    expect(readServerCommandLine(["--data", "d", "--api", "traits"])).toMatchObject({ api: "traits" });
  });

  it("rejects a missing --data, a bad port, an empty token and unknown flags", () => {
    expect(() => readServerCommandLine(["--port", "1"])).toThrow("--data <dir> is required");
    expect(() => readServerCommandLine(["--data", "d", "--port", "eighty"])).toThrow("--port must be a port number");
    expect(() => readServerCommandLine(["--data", "d", "--port", "70000"])).toThrow("--port must be a port number");
    expect(() => readServerCommandLine(["--data", "d", "--token", ""])).toThrow("--token must not be empty");
    expect(() => readServerCommandLine(["--data", "d", "--verbose"])).toThrow();
    expect(() => readServerCommandLine(["--data", "d", "--api", "v2"])).toThrow('--api must be v1 or traits, not "v2"');
  });
});
