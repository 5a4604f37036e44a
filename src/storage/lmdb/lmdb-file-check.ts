import { closeSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { endianness } from "node:os";
import { StorageError } from "../../core/storage-error.js";

/*
 * lmdb-js 3.5.6 does not fail cleanly on a file that is not an LMDB
 * database: opening one crashes the whole process (measured: SIGSEGV for a
 * zero-filled, truncated or foreign file, a bad magic or version, and for a
 * lock path that is a directory). A kiosk whose database file was damaged
 * would crash at every start. So before handing a path to lmdb-js we check
 * what LMDB itself checks first (mdb_env_read_header): the first page is a
 * meta page with LMDB's magic and data version, and both meta pages are
 * there. Damage deeper inside a well-formed file is not caught here (LMDB
 * keeps no checksums); see the README.
 *
 * Offsets of the lmdb-js build of LMDB (64-bit page numbers), from mdb.c:
 * page header = pgno u64, txnid u64, pad u16, flags u16 @18, lower/upper u32
 * (24 bytes); then MDB_meta: magic u32 @24, version u32 @28, address u64,
 * mapsize u64, free-DB record whose first field (md_pad) is the page size @48.
 */
const FLAGS_OFFSET = 18;
const MAGIC_OFFSET = 24;
const VERSION_OFFSET = 28;
const PAGE_SIZE_OFFSET = 48;
const HEADER_BYTES = 52;
const P_META = 0x08;
const MDB_MAGIC = 0xbeefc0de;
const MDB_DATA_VERSION = 2;
const META_PAGES = 2;

/**
 * Throws a StorageError when `path` cannot be an LMDB database file:
 * `unavailable` for something that is not a regular file (a directory, a
 * lock path that is a directory), `corrupt` for a file whose header is not
 * LMDB's. A missing or empty file passes: LMDB creates a new database in it.
 */
export function checkLmdbFile(path: string): void {
  const lock = statOrUndefined(`${path}-lock`);
  if (lock !== undefined && !lock.isFile()) {
    throw new StorageError("unavailable", `cannot open LMDB database ${path}: its lock file ${path}-lock is not a regular file`);
  }
  const stats = statOrUndefined(path);
  if (stats === undefined || (stats.isFile() && stats.size === 0)) return;
  if (!stats.isFile()) throw new StorageError("unavailable", `cannot open LMDB database ${path}: not a regular file`);

  const header = readHeader(path);
  const notLmdb = (why: string) =>
    new StorageError("corrupt", `${path} is not an LMDB database (${why}); move it away or delete it to start a new one`);
  if (header.byteLength < HEADER_BYTES) throw notLmdb(`only ${stats.size} bytes`);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const little = endianness() === "LE";
  if ((view.getUint16(FLAGS_OFFSET, little) & P_META) === 0) throw notLmdb("the first page is not a meta page");
  if (view.getUint32(MAGIC_OFFSET, little) !== MDB_MAGIC) throw notLmdb("bad magic number");
  const version = view.getUint32(VERSION_OFFSET, little) & 0xffff;
  if (version !== MDB_DATA_VERSION) throw notLmdb(`data format version ${version}, expected ${MDB_DATA_VERSION}`);
  const pageSize = view.getUint32(PAGE_SIZE_OFFSET, little);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw notLmdb(`page size ${pageSize}`);
  if (stats.size < META_PAGES * pageSize) throw notLmdb(`truncated to ${stats.size} bytes`);
}

function readHeader(path: string): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (cause) {
    throw new StorageError("unavailable", `cannot open LMDB database ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    const read = readSync(fd, bytes, 0, HEADER_BYTES, 0);
    return bytes.subarray(0, read);
  } catch (cause) {
    throw new StorageError("unavailable", `cannot read LMDB database ${path}: ${(cause as Error).message}`, { cause });
  } finally {
    closeSync(fd);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    // Missing (the usual case), or not reachable: lmdb-js reports the latter cleanly.
    return undefined;
  }
}
