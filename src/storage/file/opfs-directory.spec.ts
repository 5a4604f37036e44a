import { afterEach, describe, expect, it, vi } from "vitest";
import { StorageError } from "../../core/storage-error.js";
import { FakeDirectoryHandle, type FakeFileHandle } from "./testing/fake-opfs.js";
import { opfsDirectory, opfsDirectoryAt } from "./opfs-directory.js";

const bytes = (...values: number[]) => new Uint8Array(values);

afterEach(() => vi.unstubAllGlobals());

describe("opfsDirectory (over a spec-following fake OPFS)", () => {
  it("writes, reads, lists and removes files", async () => {
    const root = new FakeDirectoryHandle();
    const directory = opfsDirectory(root.asHandle());
    expect(await directory.readFile("a")).toBeUndefined();
    await directory.writeFileAtomic("a", bytes(1, 2));
    await directory.writeFileAtomic("a", bytes(3));
    expect(await directory.readFile("a")).toEqual(bytes(3));
    expect(await directory.listFiles()).toEqual(["a"]);
    expect(await directory.removeFile("a")).toBe(true);
    expect(await directory.removeFile("a")).toBe(false);
    expect(root.children.size).toBe(0);
  });

  it("treats a directory of that name as no file: not read, not listed, not removed", async () => {
    const root = new FakeDirectoryHandle();
    await root.getDirectoryHandle("sub", { create: true });
    const directory = opfsDirectory(root.asHandle());
    expect(await directory.readFile("sub")).toBeUndefined();
    expect(await directory.listFiles()).toEqual([]);
    expect(await directory.removeFile("sub")).toBe(false);
    expect(root.children.get("sub")).toBeInstanceOf(FakeDirectoryHandle);
  });

  it("reports a full quota as quota-exceeded and keeps the old content", async () => {
    const root = new FakeDirectoryHandle("", { maxFileBytes: 4 });
    const directory = opfsDirectory(root.asHandle());
    await directory.writeFileAtomic("a", bytes(1, 2, 3));
    const error = await directory.writeFileAtomic("a", bytes(1, 2, 3, 4, 5)).catch((e: unknown) => e);
    expect(StorageError.is(error, "quota-exceeded")).toBe(true);
    expect(await directory.readFile("a")).toEqual(bytes(1, 2, 3));
  });

  it("leaves no empty file behind when the first write of a file fails", async () => {
    const root = new FakeDirectoryHandle("", { maxFileBytes: 4 });
    const directory = opfsDirectory(root.asHandle());
    await expect(directory.writeFileAtomic("new", bytes(1, 2, 3, 4, 5))).rejects.toSatisfy((e) =>
      StorageError.is(e, "quota-exceeded"),
    );
    expect(await directory.listFiles()).toEqual([]);
  });

  it("reports a root that cannot be had as unavailable", async () => {
    const denied = Promise.reject(new DOMException("not allowed", "SecurityError"));
    const directory = opfsDirectory(denied);
    await expect(directory.listFiles()).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
    await expect(directory.readFile("a")).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
  });
});

describe("opfsDirectoryAt", () => {
  it("creates the nested path under the root at the first operation, not before", async () => {
    const root = new FakeDirectoryHandle();
    const getRoot = vi.fn(async () => root.asHandle());
    const directory = opfsDirectoryAt(["pubcache", "scope-1"], getRoot);
    expect(getRoot).not.toHaveBeenCalled();
    await directory.writeFileAtomic("a", bytes(7));
    const pubcache = root.children.get("pubcache") as FakeDirectoryHandle;
    const scope = pubcache.children.get("scope-1") as FakeDirectoryHandle;
    expect((scope.children.get("a") as FakeFileHandle).data).toEqual(bytes(7));
    await directory.listFiles();
    expect(getRoot).toHaveBeenCalledTimes(1);
  });

  it("retries the root after a failure", async () => {
    const root = new FakeDirectoryHandle();
    const getRoot = vi
      .fn<() => Promise<FileSystemDirectoryHandle>>()
      .mockRejectedValueOnce(new DOMException("try later", "UnknownError"))
      .mockResolvedValue(root.asHandle());
    const directory = opfsDirectoryAt(["pubcache"], getRoot);
    await expect(directory.listFiles()).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
    expect(await directory.listFiles()).toEqual([]);
  });

  it("uses navigator.storage.getDirectory() by default and says so when there is none", async () => {
    const root = new FakeDirectoryHandle();
    vi.stubGlobal("navigator", { storage: { getDirectory: async () => root.asHandle() } });
    await opfsDirectoryAt(["x"]).writeFileAtomic("a", bytes(1));
    expect(root.children.has("x")).toBe(true);

    vi.stubGlobal("navigator", {});
    await expect(opfsDirectoryAt(["x"]).listFiles()).rejects.toSatisfy((e) => StorageError.is(e, "unavailable"));
  });
});
