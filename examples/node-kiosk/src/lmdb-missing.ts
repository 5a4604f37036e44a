/**
 * `node dist/lmdb-missing.js <file>`: `pubcache-web/storage/node` loads
 * without the optional `lmdb` package (the file storage above needs none),
 * and opening an LMDB database then says what is missing. Prints the error's
 * code and message.
 */
import { openLmdbDatabase, StorageError } from "pubcache-web/storage/node";

try {
  openLmdbDatabase({ path: process.argv[2] ?? "kiosk.lmdb" });
  console.log("opened");
} catch (error) {
  console.log(JSON.stringify(error instanceof StorageError ? { code: error.code, message: error.message } : { other: String(error) }));
}
