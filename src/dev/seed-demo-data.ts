import { create } from "@bufbuild/protobuf";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Clock } from "../core/clock.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { mediaTypeOfFile } from "../server/media-type.js";
import { publish } from "../server/publication-rules.js";
import { createFileStorage } from "../storage/file/file-storage.js";
import { nodeDirectory } from "../storage/file/node-directory.js";

/** The demo publications: one per file, the id being the file name without its extension. */
export const SEED_DIRECTORY = fileURLToPath(new URL("./seed/", import.meta.url));

/**
 * Writes the demo publications into `dataDir` when it holds none yet (first
 * run, or every publication deleted), exactly as the server would have
 * stored them (minted version, publish time). Resolves to the ids written;
 * empty when the directory already had publications and was left alone.
 */
export async function seedDemoData(dataDir: string, clock: Clock, seedDir = SEED_DIRECTORY): Promise<string[]> {
  const storage = createFileStorage(nodeDirectory(dataDir));
  if ((await storage.list()).length > 0) return [];
  const files = (await readdir(seedDir)).filter((name) => !name.startsWith(".")).sort();
  const now = clock.now();
  for (const file of files) {
    const path = join(seedDir, file);
    const draft = create(PublicationSchema, {
      id: basename(file, extname(file)),
      body: new Uint8Array(await readFile(path)),
      mediaType: mediaTypeOfFile(file),
    });
    await storage.store(publish(draft, now));
  }
  return files.map((file) => basename(file, extname(file)));
}
