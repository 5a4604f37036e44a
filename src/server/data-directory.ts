import { randomUUID } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { createFileStorage } from "../storage/file/file-storage.js";
import { nodeDirectory } from "../storage/file/node-directory.js";
import type { PublicationStorage } from "../core/publication-storage.js";
import { ServerStartError } from "./start-error.js";


export interface OpenedDataDirectory {
  /** Where the server writes every change (the Go file layout). */
  readonly storage: PublicationStorage;
  /** Every publication that could be read; unreadable ones were logged and skipped. */
  readonly publications: Publication[];
}

/**
 * Creates the directory if needed, proves it can be written (so a read-only
 * directory fails at start-up, not at the first publish), and loads every
 * stored publication. A file that does not decode, or that holds another id,
 * is reported through `log` and skipped. Throws {@link ServerStartError}.
 */
export async function openDataDirectory(path: string, log: (line: string) => void): Promise<OpenedDataDirectory> {
  try {
    await mkdir(path, { recursive: true });
  } catch (cause) {
    throw new ServerStartError(`cannot create data directory ${path}: ${describe(cause)}`, { cause });
  }
  // A name starting with "." is never produced by the file-name codec, so
  // even a leftover probe is ignored by every reader of the directory.
  const probe = join(path, `.probe-${randomUUID()}`);
  try {
    await writeFile(probe, "");
    await unlink(probe);
  } catch (cause) {
    throw new ServerStartError(`data directory ${path} is not writable: ${describe(cause)}`, { cause });
  }

  const storage = createFileStorage(nodeDirectory(path));
  let ids: string[];
  try {
    ids = await storage.list();
  } catch (cause) {
    throw new ServerStartError(`data directory ${path} is not readable: ${describe(cause)}`, { cause });
  }
  const publications: Publication[] = [];
  for (const id of ids) {
    try {
      publications.push(await storage.load(id));
    } catch (err) {
      log(`data: skipped stored publication ${JSON.stringify(id)}: ${describe(err)}`);
    }
  }
  return { storage, publications };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
