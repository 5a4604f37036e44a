import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { EXAMPLES_WORK } from "../support/workspace.js";
import { NpxServer } from "./support/npx-server.js";

const run = promisify(execFile);
const KIOSK = join(EXAMPLES_WORK, "node-kiosk");

interface Shown {
  readonly version: string;
  readonly text: string;
  readonly source: string;
}

/** Runs `node dist/follow.js`, calling `onLine` with each value it prints; resolves to all of them when it exits by itself. */
function follow(server: string, data: string, count: number, onLine: (shown: Shown) => void = () => undefined): Promise<Shown[]> {
  const child = spawn(process.execPath, ["dist/follow.js", "--server", server, "--id", "notice", "--data", data, "--count", String(count)], {
    cwd: KIOSK,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const shown: Shown[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const value = JSON.parse(line) as Shown;
    shown.push(value);
    onLine(value);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`follow.js did not end: ${JSON.stringify(shown)} ${stderr}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(shown);
      else reject(new Error(`follow.js exited with ${code}: ${stderr}`));
    });
  });
}

test("node-kiosk: pubcache-web/core + the file storage in plain Node: first value, live update; server gone → the stored value", async () => {
  const server = await NpxServer.start();
  const data = await mkdtemp(join(tmpdir(), "pubcache-kiosk-"));
  try {
    const v1 = await server.publish("notice", "Lift 2 is out of service");
    // The update may reach the kiosk before the publish call has its answer: await both.
    let published: Promise<string> | undefined;
    const live = await follow(server.url, data, 2, (shown) => {
      if (shown.version === v1) published = server.publish("notice", "Lift 2 is back");
    });
    const v2 = await published;
    expect(v2).toBeTruthy();
    expect(live).toEqual([
      { version: v1, text: "Lift 2 is out of service", source: "stream" },
      { version: v2, text: "Lift 2 is back", source: "stream" },
    ]);

    await server.kill();
    expect(await follow(server.url, data, 1)).toEqual([{ version: v2, text: "Lift 2 is back", source: "storage" }]);
  } finally {
    await server.dispose();
    await rm(data, { recursive: true, force: true });
  }
});

test("node-kiosk: pubcache-web/storage/node loads without the optional lmdb; opening an LMDB database says it is missing", async () => {
  const { stdout } = await run(process.execPath, ["dist/lmdb-missing.js", join(tmpdir(), "never-created.lmdb")], { cwd: KIOSK });
  const result = JSON.parse(stdout) as { code?: string; message?: string };
  expect(result.code).toBe("unavailable");
  expect(result.message).toContain("needs the lmdb package");
});
