import { create } from "@bufbuild/protobuf";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "../../core/storage-error.js";
import { openLmdbDatabase } from "./lmdb-database.js";
import { createLmdbStorage } from "./lmdb-storage.js";

// Every case here crashed the process (SIGSEGV) when given to lmdb-js 3.5.6
// unchecked; a regression in the check shows as a crashed test run.

const scope = { server: "https://bms.example", device: "d" };
let dir: string;
let validFile: Uint8Array;

beforeAll(async () => {
  const made = await mkdtemp(join(tmpdir(), "pubcache-lmdb-valid-"));
  const database = openLmdbDatabase({ path: join(made, "valid.mdb") });
  await createLmdbStorage(database, scope).store(create(PublicationSchema, { id: "a", version: "v1" }));
  await database.close();
  validFile = new Uint8Array(await readFile(join(made, "valid.mdb")));
  await rm(made, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-lmdb-check-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function patched(offset: number, bytes: number[]): Uint8Array {
  const copy = validFile.slice();
  copy.set(bytes, offset);
  return copy;
}

describe("opening a file that is not an LMDB database", () => {
  const corrupt: Array<[string, () => Uint8Array]> = [
    ["text", () => new TextEncoder().encode("hello, not a database\n")],
    ["zero-filled (a file allocated but never written)", () => new Uint8Array(8192)],
    ["truncated to its first page", () => validFile.slice(0, 4096)],
    ["truncated to 100 bytes", () => validFile.slice(0, 100)],
    ["a bad magic number", () => patched(24, [0, 0, 0, 0])],
    ["another data format version", () => patched(28, [3])],
  ];
  for (const [what, bytes] of corrupt) {
    it(`${what}: corrupt, and the file is left as it was`, async () => {
      const path = join(dir, "publications.mdb");
      const content = bytes();
      await writeFile(path, content);
      expect(() => openLmdbDatabase({ path })).toThrow(expect.objectContaining({ name: "StorageError", code: "corrupt" }));
      expect(new Uint8Array(await readFile(path))).toEqual(content);
    });
  }

  it("a lock path that is a directory: unavailable", async () => {
    const path = join(dir, "publications.mdb");
    await writeFile(path, validFile);
    await mkdir(`${path}-lock`);
    expect(() => openLmdbDatabase({ path })).toThrow(expect.objectContaining({ name: "StorageError", code: "unavailable" }));
  });

  it("lets a valid file through, and an empty one (LMDB starts a database in it)", async () => {
    const valid = join(dir, "valid.mdb");
    await writeFile(valid, validFile);
    const database = openLmdbDatabase({ path: valid });
    expect((await createLmdbStorage(database, scope).load("a")).version).toBe("v1");
    await database.close();

    const empty = join(dir, "empty.mdb");
    await writeFile(empty, new Uint8Array(0));
    const fresh = openLmdbDatabase({ path: empty });
    await createLmdbStorage(fresh, scope).store(create(PublicationSchema, { id: "b" }));
    expect(await createLmdbStorage(fresh, scope).list()).toEqual(["b"]);
    await fresh.close();
  });

  it("says what is wrong", async () => {
    const path = join(dir, "publications.mdb");
    await writeFile(path, validFile.slice(0, 4096));
    let error: unknown;
    try {
      openLmdbDatabase({ path });
    } catch (err) {
      error = err;
    }
    expect(StorageError.is(error, "corrupt")).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain("truncated");
  });
});
