import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import { StorageError } from "../../core/storage-error.js";
import type { FileDirectory } from "./file-directory.js";

/**
 * A {@link FileDirectory} on Node's file system. Writes go to a temp file
 * (a name the codec never produces, so `list` skips it) that is fsynced and
 * renamed over the target, as the Go storage does.
 */
export function nodeDirectory(path: string): FileDirectory {
  let made: Promise<unknown> | undefined;
  const ensure = () => (made ??= mkdir(path, { recursive: true }).catch((cause) => {
    made = undefined;
    throw toStorageError(cause, `cannot create directory ${path}`);
  }));

  return {
    async readFile(name) {
      try {
        return new Uint8Array(await readFile(join(path, name)));
      } catch (cause) {
        if (isCode(cause, "ENOENT")) return undefined;
        throw toStorageError(cause, `cannot read ${name}`);
      }
    },

    async writeFileAtomic(name, bytes) {
      await ensure();
      const temp = join(path, `.tmp-${randomUUID()}`);
      try {
        const handle = await open(temp, "w");
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, join(path, name));
      } catch (cause) {
        await rm(temp, { force: true }).catch(() => {});
        throw toStorageError(cause, `cannot write ${name}`);
      }
    },

    async listFiles() {
      try {
        const entries = await readdir(path, { withFileTypes: true });
        return entries.filter((e) => e.isFile()).map((e) => e.name);
      } catch (cause) {
        if (isCode(cause, "ENOENT")) return [];
        throw toStorageError(cause, `cannot list ${path}`);
      }
    },

    async removeFile(name) {
      try {
        await unlink(join(path, name));
        return true;
      } catch (cause) {
        if (isCode(cause, "ENOENT")) return false;
        throw toStorageError(cause, `cannot remove ${name}`);
      }
    },
  };
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

function toStorageError(cause: unknown, message: string): StorageError {
  if (isCode(cause, "ENOSPC") || isCode(cause, "EDQUOT")) {
    return new StorageError("quota-exceeded", `${message}: disk full`, { cause });
  }
  return new StorageError("unavailable", `${message}: ${(cause as Error)?.message ?? cause}`, { cause });
}
