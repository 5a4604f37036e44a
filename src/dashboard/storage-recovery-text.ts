import type { StorageRecovery } from "../entries/index.js";
import type { TimeFormat } from "./time-format.js";

/**
 * The diagnostics panel's line on storage lost while the screen ran: the
 * latest loss of the database and of the app files, what came back and
 * when. The host keeps these in memory, so a restarted worker starts over.
 */
export function describeStorageRecoveries(recoveries: readonly StorageRecovery[], time: TimeFormat, now: number): string {
  const latest = (storage: StorageRecovery["storage"]) => recoveries.filter((r) => r.storage === storage).at(-1);
  const parts: string[] = [];
  const database = latest("database");
  if (database) {
    const at = time.clock(database.detectedAt, now);
    parts.push(
      database.restoredAt === undefined
        ? `Stored data was cleared at ${at}; writing values back now`
        : `Stored data was cleared at ${at}; ${count(database.restored, "value")} written back`,
    );
  }
  const files = latest("app-files");
  if (files) {
    const at = time.clock(files.detectedAt, now);
    parts.push(
      files.restoredAt === undefined
        ? `App files were lost at ${at}; they are fetched again when the network allows`
        : `App files were lost at ${at}; ${count(files.restored, "file")} restored at ${time.clock(files.restoredAt, now)}`,
    );
  }
  return parts.length === 0 ? "None since the cache host started" : `${parts.join(". ")}.`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
