import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StorageError } from "../../core/storage-error.js";
import { nodeDirectory } from "./node-directory.js";

// Lets a test make the next file write fail the way a full disk does.
const faults = vi.hoisted(() => ({ writeError: undefined as Error | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const error = faults.writeError;
      if (error === undefined) return handle;
      return { writeFile: () => Promise.reject(error), sync: () => handle.sync(), close: () => handle.close() };
    },
  };
});

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-node-dir-"));
});
afterEach(async () => {
  faults.writeError = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("nodeDirectory", () => {
  it("creates its directory on the first write and reads back what it wrote", async () => {
    const directory = nodeDirectory(join(dir, "a", "b"));
    expect(await directory.listFiles()).toEqual([]);
    expect(await directory.readFile("x")).toBeUndefined();
    await directory.writeFileAtomic("x", new Uint8Array([1, 2, 3]));
    expect(await directory.readFile("x")).toEqual(new Uint8Array([1, 2, 3]));
    expect(await directory.listFiles()).toEqual(["x"]);
  });

  it("lists regular files only and removes reporting whether the file was there", async () => {
    const directory = nodeDirectory(dir);
    await directory.writeFileAtomic("file", new Uint8Array([1]));
    await mkdir(join(dir, "subdir"));
    expect(await directory.listFiles()).toEqual(["file"]);
    expect(await directory.removeFile("file")).toBe(true);
    expect(await directory.removeFile("file")).toBe(false);
  });

  it("replaces a file whole: concurrent writers leave exactly one complete content", async () => {
    const directory = nodeDirectory(dir);
    const contents = Array.from({ length: 8 }, (_, i) => new Uint8Array(64 * 1024).fill(i + 1));
    await Promise.all(contents.map((bytes) => directory.writeFileAtomic("same", bytes)));
    const final = await directory.readFile("same");
    expect(contents.some((c) => Buffer.compare(Buffer.from(c), Buffer.from(final!)) === 0)).toBe(true);
    expect(await readdir(dir)).toEqual(["same"]); // no temp file left behind
  });

  for (const code of ["ENOSPC", "EDQUOT"]) {
    it(`reports ${code} as quota-exceeded, keeps the old file and leaves no temp file`, async () => {
      const directory = nodeDirectory(dir);
      await directory.writeFileAtomic("p", new Uint8Array([1]));
      faults.writeError = errno(code);
      const error = await directory.writeFileAtomic("p", new Uint8Array([2])).catch((e: unknown) => e);
      expect(StorageError.is(error, "quota-exceeded")).toBe(true);
      faults.writeError = undefined;
      expect(await directory.readFile("p")).toEqual(new Uint8Array([1]));
      expect(await readdir(dir)).toEqual(["p"]);
    });
  }

  it("reports any other failure as unavailable", async () => {
    const directory = nodeDirectory(dir);
    faults.writeError = errno("EIO");
    await expect(directory.writeFileAtomic("p", new Uint8Array([2]))).rejects.toSatisfy((e) =>
      StorageError.is(e, "unavailable"),
    );
    // A file where the directory should be: reading is an error, not "missing".
    await writeFile(join(dir, "not-a-dir"), "x");
    await expect(nodeDirectory(join(dir, "not-a-dir")).readFile("p")).rejects.toSatisfy((e) =>
      StorageError.is(e, "unavailable"),
    );
    expect(await readFile(join(dir, "not-a-dir"), "utf8")).toBe("x");
  });
});
