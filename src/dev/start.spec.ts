import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningUrl, runCli, spawnCli, type RunningCli } from "../server/testing/child-process.js";
import { eventually, publicationClient, statusOf } from "../server/testing/test-server.js";

let base: string;
let demo: RunningCli;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "start-auth-"));
  demo = spawnCli("src/dev/start.ts", ["--auth", "--access-ttl", "120", "--no-build", "--port", "0", "--app-port", "0", "--tick", "1", "--data", join(base, "demo")]);
});
afterAll(async () => {
  if (demo.child.exitCode === null) {
    demo.child.kill("SIGTERM");
    await demo.exited;
  }
  await rm(base, { recursive: true, force: true });
});

describe("npm start -- --auth", () => {
  it("runs the demo with sign-in on, prints how to approve a code, and its ticker publishes with machine credentials", async () => {
    const url = await listeningUrl(demo);
    await eventually(() => demo.stdout().includes("lifetimes:"), 15_000);
    const printed = demo.stdout();
    expect(printed).toContain(`approve a code:      open ${url}/realms/smartcore/device`);
    expect(printed).toContain(`or: npm run auth:approve -- --server ${url} --code <CODE>`);
    expect(printed).toContain(`device sign-in:      ${url}/realms/smartcore/protocol/openid-connect/auth/device`);
    expect(printed).toContain("access tokens 120 s");

    expect(await statusOf(publicationClient(url).listPublications({}))).toBe(Code.Unauthenticated);

    // Every command it prints works as printed: the publish command brings its own credentials.
    const publishLine = /^ {2}publish by hand: +npm run pub -- (.+)$/m.exec(printed)?.[1];
    expect(publishLine).toContain("--client ");
    const published = await runCli("src/server/publish-cli.ts", shellWords(publishLine!));
    expect(published.stderr).toBe("");
    expect(published).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\S+\n?$/) });
    await eventually(() => /^demo tick: published announcements version /m.test(demo.stdout()), 15_000);
    expect(demo.stdout()).toMatch(/^auth: token grant=client_credentials outcome=ok sub="signage-server"/m);
  });

  it("refuses a lifetime flag without --auth", async () => {
    const run = await runCli("src/dev/start.ts", ["--access-ttl", "60", "--no-build"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^start: --access-ttl needs --auth\n/);
  });
});

/** A printed command line's arguments, as a shell splits them (double quotes only: all the demo prints). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}
