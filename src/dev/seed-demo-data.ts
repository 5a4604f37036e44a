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

/** Screens of the demo: `seed/screens/<name>.json` becomes `<name>:config`, addressed to the screen `<name>`. */
const SCREENS_FOLDER = "screens";

/** The Smart Core way of naming a screen's own configuration publication. */
export function screenConfigId(screen: string): string {
  return `${screen}:config`;
}

/**
 * Writes the demo publications into `dataDir` when it holds none yet (first
 * run, or every publication deleted), exactly as the server would have
 * stored them (minted version, publish time): one per file of the seed
 * folder, the id being the file name without its extension, plus one
 * configuration per screen of `screens/` with that screen as its audience
 * (so receipts and the fleet view have something to show). Resolves to the
 * ids written; empty when the directory already had publications and was
 * left alone.
 */
export async function seedDemoData(dataDir: string, clock: Clock, seedDir = SEED_DIRECTORY): Promise<string[]> {
  const storage = createFileStorage(nodeDirectory(dataDir));
  if ((await storage.list()).length > 0) return [];
  const now = clock.now();
  const ids: string[] = [];
  for (const file of await filesOf(seedDir)) {
    const id = basename(file, extname(file));
    const draft = create(PublicationSchema, { id, body: new Uint8Array(await readFile(join(seedDir, file))), mediaType: mediaTypeOfFile(file) });
    await storage.store(publish(draft, now));
    ids.push(id);
  }
  const screensDir = join(seedDir, SCREENS_FOLDER);
  for (const file of await filesOf(screensDir)) {
    const screen = basename(file, extname(file));
    const draft = create(PublicationSchema, {
      id: screenConfigId(screen),
      body: new Uint8Array(await readFile(join(screensDir, file))),
      mediaType: mediaTypeOfFile(file),
      audience: { name: screen },
    });
    await storage.store(publish(draft, now));
    ids.push(draft.id);
  }
  return ids;
}

/** The files (not folders, not hidden) of `dir`, sorted; none when it does not exist. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}
