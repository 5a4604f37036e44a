import { describe, expect, it } from "vitest";
import { StorageError } from "../../core/storage-error.js";
import { classifyWriteError, MDB_BAD_VALSIZE, MDB_DBS_FULL, MDB_INVALID, MDB_MAP_FULL, openFailure, writeFailure } from "./lmdb-errors.js";

const lmdbError = (message: string, code: number | string) => Object.assign(new Error(message), { code });

/** What lmdb-js rejects a write with when its commit fails: the real error comes later, in `commitError`. */
function commitFailed(reason: Error): Error {
  const commitError = Promise.reject(reason);
  return Object.assign(new Error("Commit failed (see commitError for details)"), { commitError });
}

describe("classifyWriteError", () => {
  it.each([
    ["MDB_MAP_FULL", MDB_MAP_FULL],
    ["EIO (LMDB's short write, a full disk)", 5],
    ["EFBIG (a file-size limit)", 27],
    ["ENOSPC", 28],
    ["EDQUOT", 122],
    ["ENOSPC from fs", "ENOSPC"],
  ])("%s is quota-exceeded", (_, code) => {
    expect(classifyWriteError(lmdbError("x", code), "cause", "store").code).toBe("quota-exceeded");
  });

  it("names maxScopes when LMDB's table of named databases is full", () => {
    const error = classifyWriteError(lmdbError("MDB_DBS_FULL", MDB_DBS_FULL), "cause", "opening");
    expect(error.code).toBe("quota-exceeded");
    expect(error.message).toContain("maxScopes");
  });

  it("a size LMDB refuses is invalid; anything else unavailable; the cause is kept", () => {
    expect(classifyWriteError(lmdbError("MDB_BAD_VALSIZE", MDB_BAD_VALSIZE), "c", "w").code).toBe("invalid");
    const other = classifyWriteError(lmdbError("MDB_PANIC", -30795), "the cause", "w");
    expect(other.code).toBe("unavailable");
    expect(other.cause).toBe("the cause");
    expect(classifyWriteError(new Error("no code"), "c", "w").code).toBe("unavailable");
  });
});

describe("writeFailure", () => {
  it("classifies a failed commit by the error in commitError, keeping the outer error as cause", async () => {
    const outer = commitFailed(lmdbError("Input/output error", 5));
    const error = await writeFailure(outer, "store of \"a\"");
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe("quota-exceeded");
    expect(error.message).toContain("Input/output error");
    expect(error.cause).toBe(outer);
  });

  it("handles commitError, so it is no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      await writeFailure(commitFailed(lmdbError("boom", -30795)), "w");
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });

  it("classifies a plain rejection by its own code", async () => {
    expect((await writeFailure(lmdbError("MDB_MAP_FULL", MDB_MAP_FULL), "w")).code).toBe("quota-exceeded");
  });
});

describe("openFailure", () => {
  it("a file LMDB does not recognise is corrupt; anything else unavailable", () => {
    expect(openFailure(lmdbError("MDB_INVALID", MDB_INVALID), "/p").code).toBe("corrupt");
    const error = openFailure(lmdbError("Permission denied: Attempting to setup locks", 13), "/data/p.mdb");
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain("/data/p.mdb");
    expect(error.message).toContain("Permission denied");
  });
});
