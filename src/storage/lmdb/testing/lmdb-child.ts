/**
 * A separate Node process for the LMDB tests that need one: killed without
 * warning, run under a file-size limit, or run as another user. Run with
 * `node --import tsx lmdb-child.ts <mode> <database path>`; it prints one
 * JSON line (see {@link ChildReport}) and, in `store-and-wait`, stays alive
 * until killed.
 *
 * Modes:
 * - `store-and-wait`: stores "durable" (version "v-1"), prints `{stored}`,
 *   then waits to be killed.
 * - `fill`: stores three small values, then values of 64 KiB until a store
 *   fails (at most 4 MiB of them); prints how it failed, what the small
 *   values load as afterwards, and any unhandled rejection seen.
 * - `open`: opens the database and prints the error code, if any.
 */
import { create } from "@bufbuild/protobuf";
import { PublicationSchema } from "../../../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "../../../core/storage-error.js";
import { openLmdbDatabase } from "../lmdb-database.js";
import { createLmdbStorage } from "../lmdb-storage.js";

export interface ChildReport {
  readonly stored?: boolean;
  readonly opened?: boolean;
  /** The StorageError code (or the error name) of the operation that failed. */
  readonly error?: string;
  readonly message?: string;
  /** `fill`: how many 64 KiB values were stored before one failed. */
  readonly bigStored?: number;
  /** `fill`: the versions the small values load as after the failed store. */
  readonly versions?: string[];
  /** Messages of unhandled rejections seen by the process. */
  readonly unhandled?: string[];
}

// The tests open the same scope to check what the child left.
const CHILD_SCOPE = { server: "https://bms.example", device: "site/floor-3" } as const;

const unhandled: string[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason instanceof Error ? reason.message : String(reason));
});

const report = (value: ChildReport) => process.stdout.write(`${JSON.stringify(value)}\n`);
const codeOf = (err: unknown) => (err instanceof StorageError ? err.code : err instanceof Error ? err.name : String(err));
const publication = (id: string, version: string, bodyBytes = 16) =>
  create(PublicationSchema, { id, version, body: new Uint8Array(bodyBytes).fill(7) });

async function main(mode: string, path: string): Promise<void> {
  if (mode === "open") {
    try {
      await openLmdbDatabase({ path }).close();
      report({ opened: true });
    } catch (err) {
      report({ error: codeOf(err), message: (err as Error).message });
    }
    return;
  }

  const database = openLmdbDatabase({ path });
  const storage = createLmdbStorage(database, CHILD_SCOPE);
  if (mode === "store-and-wait") {
    await storage.store(publication("durable", "v-1"));
    report({ stored: true });
    setInterval(() => {}, 60_000);
    return;
  }
  if (mode === "fill") {
    const small = ["small-1", "small-2", "small-3"];
    for (const id of small) await storage.store(publication(id, `${id}-v1`));
    let failure: unknown;
    let bigStored = 0;
    try {
      for (; bigStored < 64; bigStored++) await storage.store(publication(`big-${bigStored}`, "big-v1", 64 * 1024));
    } catch (err) {
      failure = err;
    }
    const versions = await Promise.all(small.map(async (id) => (await storage.load(id)).version));
    // Let any stray rejection of the failed commit surface before reporting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await database.close();
    report({
      error: failure === undefined ? undefined : codeOf(failure),
      message: failure instanceof Error ? failure.message : undefined,
      bigStored,
      versions,
      unhandled,
    });
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

const [mode = "", path = ""] = process.argv.slice(2);
await main(mode, path);
