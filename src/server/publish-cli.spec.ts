import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/child-process.js";
import { publishCommand } from "./publish-command.js";
import { startTestServer, text, type PublicationClient, type TestServer } from "./testing/test-server.js";

let t: TestServer;
let client: PublicationClient;
let files: string;
beforeAll(async () => {
  t = await startTestServer({ token: "s3cret", device: "bms-1" });
  client = t.clientWithToken("s3cret");
  files = await mkdtemp(join(tmpdir(), "publish-cli-"));
});
afterAll(async () => {
  await t.stop();
  await rm(files, { recursive: true, force: true });
});

/** Runs the command in-process: exit code and what it wrote. */
async function publish(args: string[], withServer = true) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const all = withServer ? ["--server", t.url, "--token", "s3cret", ...args] : args;
  const code = await publishCommand(all, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr: stderr.join("\n") };
}

describe("pubcache-publish (npm run pub)", () => {
  it("creates, then updates an existing id, printing the new version alone", async () => {
    const created = await publish(["--device", "bms-1", "--id", "notice", "--text", "first"]);
    expect(created.code).toBe(0);
    const first = await client.getPublication({ id: "notice" });
    expect(created.stdout).toEqual([first.version]);
    expect(first.mediaType).toBe("text/plain");

    const updated = await publish(["--id", "notice", "--text", "second", "--media-type", "text/markdown"]);
    expect(updated.code).toBe(0);
    const second = await client.getPublication({ id: "notice" });
    expect(updated.stdout).toEqual([second.version]);
    expect(second.version).not.toBe(first.version);
    expect([text(second.body), second.mediaType]).toEqual(["second", "text/markdown"]);
  });

  it("addresses a publication to a screen (--audience), on create and on update", async () => {
    expect((await publish(["--id", "lobby:config", "--text", '{"title":"Lobby"}', "--audience", "lobby"])).code).toBe(0);
    expect((await client.getPublication({ id: "lobby:config" })).audience?.name).toBe("lobby");
    expect((await publish(["--id", "lobby:config", "--text", '{"title":"Hall"}', "--audience", "lobby"])).code).toBe(0);
    const updated = await client.getPublication({ id: "lobby:config" });
    expect([text(updated.body), updated.audience?.name]).toEqual(['{"title":"Hall"}', "lobby"]);
  });

  it("publishes files with the media type their extension suggests, and deletes", async () => {
    const expectations = { "thresholds.json": "application/json", "notice.TXT": "text/plain", "plan.svg": "image/svg+xml", "logo.png": "image/png", "data.bin": "application/octet-stream" };
    for (const [name, mediaType] of Object.entries(expectations)) {
      await writeFile(join(files, name), "content");
      expect((await publish(["--id", name, "--file", join(files, name)])).code).toBe(0);
      expect((await client.getPublication({ id: name })).mediaType).toBe(mediaType);
    }
    const deleted = await publish(["--id", "thresholds.json", "--delete"]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toEqual([]);
    await expect(client.getPublication({ id: "thresholds.json" })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("fails with exit code 1 and one clear line: unreachable server, bad token, missing file, other device", async () => {
    const unreachable = await publish(["--server", "http://127.0.0.1:9", "--id", "x", "--text", "y"], false);
    const badToken = await publish(["--server", t.url, "--token", "wrong", "--id", "x", "--text", "y"], false);
    const missingFile = await publish(["--id", "x", "--file", join(files, "missing.txt")]);
    const otherDevice = await publish(["--device", "bms-2", "--id", "x", "--text", "y"]);
    for (const result of [unreachable, badToken, missingFile, otherDevice]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toEqual([]);
      expect(result.stderr.split("\n")).toHaveLength(1);
    }
    expect(unreachable.stderr).toMatch(/^publish: cannot reach http:\/\/127\.0\.0\.1:9 /);
    expect(badToken.stderr).toMatch(/refused the credentials \(Unauthenticated\)/);
    expect(missingFile.stderr).toMatch(/^publish: cannot read .*missing\.txt/);
    expect(otherDevice.stderr).toMatch(/answered NotFound: device "bms-2" not found/);
    await expect(client.getPublication({ id: "x" })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("exits 1 with the usage for a bad command line", async () => {
    const neither = await publish(["--id", "x"]);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain("exactly one of --file <path> or --text <string>");
    expect(neither.stderr).toContain("usage: pubcache-publish");
    expect((await publish(["--id", "x", "--text", "y"], false)).stderr).toContain("--server <url> is required");
    expect((await publish(["--server", "nope", "--id", "x", "--text", "y"], false)).stderr).toContain("--server must be a URL");
    expect((await publish(["--id", "x", "--delete", "--text", "y"])).code).toBe(1);
  });

  it("as a process: prints the version on stdout with exit code 0, or exits 1", async () => {
    const [created, failed] = await Promise.all([
      runCli("src/server/publish-cli.ts", ["--server", t.url, "--token", "s3cret", "--id", "spawned", "--text", "hi"]),
      runCli("src/server/publish-cli.ts", ["--server", t.url, "--id", "spawned-2", "--text", "hi"]),
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`${(await client.getPublication({ id: "spawned" })).version}\n`);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^publish: .*refused the credentials/);
  });
});
