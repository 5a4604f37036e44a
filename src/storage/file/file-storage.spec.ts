import { create, toBinary } from "@bufbuild/protobuf";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "../../core/storage-error.js";
import type { FileDirectory } from "./file-directory.js";
import { createFileStorage } from "./file-storage.js";
import { nodeDirectory } from "./node-directory.js";

const pub = (id: string, body = "body") => create(PublicationSchema, { id, version: "v1", body: new TextEncoder().encode(body) });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pubcache-file-storage-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("file storage", () => {
  it("writes the Go storage's files: escaped name, binary protobuf content", async () => {
    await createFileStorage(nodeDirectory(dir)).store(pub("a1.b"));
    expect(await readdir(dir)).toEqual(["a$31$2Eb"]);
    expect(new Uint8Array(await readFile(join(dir, "a$31$2Eb")))).toEqual(toBinary(PublicationSchema, pub("a1.b")));
  });

  it("reads a directory the Go storage wrote", async () => {
    await writeFile(join(dir, "floor$2F$33"), toBinary(PublicationSchema, pub("floor/3", "from Go")));
    const storage = createFileStorage(nodeDirectory(dir));
    expect(await storage.list()).toEqual(["floor/3"]);
    expect(new TextDecoder().decode((await storage.load("floor/3")).body)).toBe("from Go");
  });

  it("lists only names the codec writes: temp files, strays and directories are skipped", async () => {
    const storage = createFileStorage(nodeDirectory(dir));
    await storage.store(pub("kept"));
    for (const stray of [".tmp-123", "kept.crswap", "lower$2e", "a.b", "$41"]) await writeFile(join(dir, stray), "x");
    await mkdir(join(dir, "subdir"));
    expect(await storage.list()).toEqual(["kept"]);
  });

  describe("a corrupt file is reported as corrupt, and the next store overwrites it", () => {
    const cases: Array<[string, Uint8Array]> = [
      ["bytes that do not decode", new Uint8Array([0xff, 0xff, 0xff])],
      ["a publication with another id", toBinary(PublicationSchema, pub("someone-else"))],
    ];
    for (const [what, bytes] of cases) {
      it(what, async () => {
        await writeFile(join(dir, "p"), bytes);
        const storage = createFileStorage(nodeDirectory(dir));
        await expect(storage.load("p")).rejects.toSatisfy((e) => StorageError.is(e, "corrupt"));
        await storage.store(pub("p", "good"));
        expect(new TextDecoder().decode((await storage.load("p")).body)).toBe("good");
      });
    }
  });

  it("passes a full disk on as quota-exceeded; the previous value stays", async () => {
    const files = new Map<string, Uint8Array>();
    let diskFull = false;
    const directory: FileDirectory = {
      readFile: async (name) => files.get(name),
      writeFileAtomic: async (name, bytes) => {
        if (diskFull) throw new StorageError("quota-exceeded", "ENOSPC (simulated)");
        files.set(name, bytes);
      },
      listFiles: async () => [...files.keys()],
      removeFile: async (name) => files.delete(name),
    };
    const storage = createFileStorage(directory);
    await storage.store(pub("p", "before"));
    diskFull = true;
    await expect(storage.store(pub("p", "after"))).rejects.toSatisfy((e) => StorageError.is(e, "quota-exceeded"));
    expect(new TextDecoder().decode((await storage.load("p")).body)).toBe("before");
  });
});
