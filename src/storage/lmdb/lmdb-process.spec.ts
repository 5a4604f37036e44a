import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openLmdbDatabase } from "./lmdb-database.js";
import { createLmdbStorage } from "./lmdb-storage.js";
import type { ChildReport } from "./testing/lmdb-child.js";

// What the child stores into (the same literal as in lmdb-child.ts).
const SCOPE = { server: "https://bms.example", device: "site/floor-3" };
const CHILD = fileURLToPath(new URL("./testing/lmdb-child.ts", import.meta.url));
// Root ignores file modes; the read-only case runs the child as "nobody" then.
const NOBODY = 65534;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-lmdb-process-"));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

interface Child {
  /** The first JSON line the child printed. */
  readonly report: Promise<ChildReport>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

/** Runs lmdb-child.ts; `shell` is a bash prefix run before it (e.g. `ulimit -f 1024`). */
function runChild(mode: string, path: string, options: { shell?: string; uid?: number } = {}): Child {
  const node = [process.execPath, "--import", "tsx", CHILD, mode, path];
  const [command, ...args] = options.shell === undefined ? node : ["bash", "-c", `${options.shell}; exec "$@"`, "child", ...node];
  const child = spawn(command!, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line !== undefined) resolve(JSON.parse(line) as ChildReport);
    });
    void exited.then(({ code, signal, stderr }) =>
      reject(new Error(`child exited (${code ?? signal}) before reporting; stderr:\n${stderr}`)),
    );
  });
  return { report, exited, kill: () => child.kill("SIGKILL") };
}

describe("LMDB storage across processes", () => {
  it("keeps a value whose store had resolved when the process was killed (SIGKILL) right after", async () => {
    const path = join(dir, "publications.mdb");
    const child = runChild("store-and-wait", path);
    expect(await child.report).toEqual({ stored: true });
    child.kill();
    expect((await child.exited).signal).toBe("SIGKILL");

    const database = openLmdbDatabase({ path });
    try {
      expect((await createLmdbStorage(database, SCOPE).load("durable")).version).toBe("v-1");
    } finally {
      await database.close();
    }
  });

  it("reports a full disk (file-size limit) as quota-exceeded and loses none of the earlier values", async () => {
    const path = join(dir, "publications.mdb");
    // 1 MiB: room for the small values, not for the 4 MiB one. Node ignores
    // SIGXFSZ itself, so a write past the limit fails with EFBIG / a short write.
    const child = runChild("fill", path, { shell: "ulimit -f 1024" });
    const report = await child.report;
    expect(report.error).toBe("quota-exceeded");
    expect(report.bigStored).toBeGreaterThan(0);
    expect(report.bigStored).toBeLessThan(16);
    expect(report.versions).toEqual(["small-1-v1", "small-2-v1", "small-3-v1"]);
    // lmdb-js's own batching would leave an unhandled rejection here (which ends a Node process).
    expect(report.unhandled).toEqual([]);
    expect((await child.exited).code).toBe(0);

    const database = openLmdbDatabase({ path });
    try {
      const storage = createLmdbStorage(database, SCOPE);
      // Everything whose store resolved is there; the one that failed is not.
      const big = Array.from({ length: report.bigStored! }, (_, i) => `big-${i}`);
      expect((await storage.list()).sort()).toEqual(["small-1", "small-2", "small-3", ...big].sort());
      expect((await storage.load("small-2")).version).toBe("small-2-v1");
      expect((await storage.load(big.at(-1)!)).body.length).toBe(64 * 1024);
    } finally {
      await database.close();
    }
  });

  it("rejects a database in a read-only directory as unavailable", async () => {
    const readOnly = join(dir, "read-only");
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    await chmod(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    const child = runChild("open", join(readOnly, "publications.mdb"), asRoot ? { uid: NOBODY } : {});
    const report = await child.report;
    expect(report.error).toBe("unavailable");
    expect(report.message).toMatch(/permission denied/i);
    await expect(stat(join(readOnly, "publications.mdb"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
