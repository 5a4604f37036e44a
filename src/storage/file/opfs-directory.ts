import { StorageError } from "../../core/storage-error.js";
import type { FileDirectory } from "./file-directory.js";

/**
 * A {@link FileDirectory} in the browser's Origin Private File System, so
 * `createFileStorage(opfsDirectory(…))` is the browser file storage, with
 * the Go storage's names and format.
 *
 * How a write stays whole: `createWritable()` on the target itself. The
 * File System standard makes a writable stream work on a swap copy and
 * replace the file's content only when `close()` succeeds ("changes are
 * written to a temporary file and then atomically moved into place"), and
 * `abort()` discards the swap copy. Readers therefore see the old bytes or
 * the new ones, never a mix. The temp-file-then-`move()` pattern of the Node
 * directory is not used: `FileSystemHandle.move()` is not in the standard
 * yet, and whether it may replace an existing file differs between engines.
 *
 * Measured in Chromium 156: while a stream is open its swap file shows up in
 * listings as `<name>.crswap`; the file-name codec never writes a `.`, so the
 * file storage's `list` skips it. Ten concurrent writers of one name all
 * succeed and leave exactly one writer's complete content.
 *
 * One gap remains: a file that did not exist is created (empty) before its
 * content is committed. If the page dies in between, an empty file stays;
 * the file storage reports it as `corrupt` (its id does not match) and the
 * next store overwrites it. A write that fails in the page removes it.
 *
 * Errors are StorageErrors: QuotaExceededError → `quota-exceeded`, anything
 * else → `unavailable`.
 */
export function opfsDirectory(root: FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>): FileDirectory {
  const handle = Promise.resolve(root);
  // Reported by each operation instead; never an unhandled rejection.
  handle.catch(() => {});
  return directoryOver(() => handle);
}

/**
 * The OPFS directory at `path` under the origin's root (each level created
 * when missing), e.g. `opfsDirectoryAt(["pubcache", "v1", scopeKey])`. The
 * root is resolved at the first operation, not when this is called, and a
 * failed resolution (e.g. OPFS not allowed in this context) is retried on the
 * next operation. `getRoot` defaults to `navigator.storage.getDirectory()`
 * (pages and workers alike); tests pass their own.
 */
export function opfsDirectoryAt(
  path: readonly string[],
  getRoot: () => Promise<FileSystemDirectoryHandle> = defaultRoot,
): FileDirectory {
  let resolving: Promise<FileSystemDirectoryHandle> | undefined;
  return directoryOver(() => {
    if (resolving === undefined) {
      const attempt = (async () => {
        let dir = await getRoot();
        for (const name of path) dir = await dir.getDirectoryHandle(name, { create: true });
        return dir;
      })();
      attempt.catch(() => {
        if (resolving === attempt) resolving = undefined;
      });
      resolving = attempt;
    }
    return resolving;
  });
}

function defaultRoot(): Promise<FileSystemDirectoryHandle> {
  const storage = globalThis.navigator?.storage;
  if (storage?.getDirectory === undefined) {
    return Promise.reject(new StorageError("unavailable", "the Origin Private File System is not available here"));
  }
  return storage.getDirectory();
}

/** The directory iteration the TS DOM lib only declares in DOM.AsyncIterable. */
type IterableDirectory = FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle> };

function directoryOver(getDirectory: () => Promise<FileSystemDirectoryHandle>): FileDirectory {
  async function directory(): Promise<FileSystemDirectoryHandle> {
    try {
      return await getDirectory();
    } catch (cause) {
      throw toStorageError(cause, "cannot open the OPFS directory");
    }
  }

  /** The file's handle, or undefined when there is no such file (or it is a directory). */
  async function existingFile(name: string): Promise<FileSystemFileHandle | undefined> {
    const dir = await directory();
    try {
      return await dir.getFileHandle(name);
    } catch (cause) {
      if (isNamed(cause, "NotFoundError") || isNamed(cause, "TypeMismatchError")) return undefined;
      throw toStorageError(cause, `cannot open ${name}`);
    }
  }

  return {
    async readFile(name) {
      const file = await existingFile(name);
      if (file === undefined) return undefined;
      try {
        return new Uint8Array(await (await file.getFile()).arrayBuffer());
      } catch (cause) {
        // Removed between the lookup and the read.
        if (isNamed(cause, "NotFoundError")) return undefined;
        throw toStorageError(cause, `cannot read ${name}`);
      }
    },

    async writeFileAtomic(name, bytes) {
      const dir = await directory();
      const existed = (await existingFile(name)) !== undefined;
      let file: FileSystemFileHandle | undefined;
      let writable: FileSystemWritableFileStream | undefined;
      try {
        file = await dir.getFileHandle(name, { create: true });
        // keepExistingData: false (the default) starts the swap copy empty.
        writable = await file.createWritable();
        await writable.write(bytes as Uint8Array<ArrayBuffer>);
        await writable.close(); // the commit point
      } catch (cause) {
        await writable?.abort().catch(() => {});
        // Take back the empty file this write created, unless another writer
        // has filled it meanwhile.
        if (!existed && file !== undefined) await removeIfEmpty(dir, file).catch(() => {});
        throw toStorageError(cause, `cannot write ${name}`);
      }
    },

    async listFiles() {
      const dir = (await directory()) as IterableDirectory;
      const names: string[] = [];
      try {
        for await (const entry of dir.values()) if (entry.kind === "file") names.push(entry.name);
      } catch (cause) {
        throw toStorageError(cause, "cannot list the OPFS directory");
      }
      return names;
    },

    async removeFile(name) {
      // Looked up first so that a directory of that name is never removed.
      if ((await existingFile(name)) === undefined) return false;
      try {
        await (await directory()).removeEntry(name);
        return true;
      } catch (cause) {
        if (isNamed(cause, "NotFoundError")) return false;
        throw toStorageError(cause, `cannot remove ${name}`);
      }
    },
  };
}

async function removeIfEmpty(dir: FileSystemDirectoryHandle, file: FileSystemFileHandle): Promise<void> {
  if ((await file.getFile()).size === 0) await dir.removeEntry(file.name);
}

function isNamed(err: unknown, name: string): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === name;
}

function toStorageError(cause: unknown, message: string): StorageError {
  if (cause instanceof StorageError) return cause;
  if (isNamed(cause, "QuotaExceededError")) {
    return new StorageError("quota-exceeded", `${message}: storage quota exceeded`, { cause });
  }
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new StorageError("unavailable", `${message}: ${detail}`, { cause });
}
