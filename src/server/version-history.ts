import { clone } from "@bufbuild/protobuf";
import { sizeDelimitedDecodeStream, sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import { join } from "node:path";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";
import { decodeFileName, encodeFileName } from "../storage/file/file-name-codec.js";
import type { FileDirectory } from "../storage/file/file-directory.js";
import { nodeDirectory } from "../storage/file/node-directory.js";

/**
 * Every version each publication has had, as a database-backed server keeps
 * them (`--db-like`: Get and Acknowledge can name a past version). Held in
 * memory and written to `<data>/.versions/`, one file per publication (the
 * file-name codec's name for its id) holding its versions size-delimited,
 * oldest first. A name starting with "." is never a publication file, so
 * the data directory keeps the Go `pubcache` layout. Values are copied in
 * and out.
 */
export class VersionHistory {
  readonly #directory: FileDirectory;
  readonly #byId: Map<string, Publication[]>;

  private constructor(directory: FileDirectory, byId: Map<string, Publication[]>) {
    this.#directory = directory;
    this.#byId = byId;
  }

  /** Loads the history kept in `dataDir`; a file that does not decode is reported through `log` and skipped. */
  static async open(dataDir: string, log: (line: string) => void): Promise<VersionHistory> {
    const directory = nodeDirectory(join(dataDir, ".versions"));
    const byId = new Map<string, Publication[]>();
    for (const name of await directory.listFiles()) {
      const id = decodeFileName(name);
      if (id === undefined || id === "") continue;
      const bytes = await directory.readFile(name);
      if (bytes === undefined) continue; // removed since the listing
      try {
        const versions: Publication[] = [];
        for await (const version of sizeDelimitedDecodeStream(PublicationSchema, once(bytes))) {
          versions.push(version);
        }
        byId.set(id, versions);
      } catch (err) {
        log(`data: skipped version history of ${JSON.stringify(id)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return new VersionHistory(directory, byId);
  }

  /** The version `version` of publication `id`, or `undefined` when it never existed (or was deleted with it). */
  get(id: string, version: string): Publication | undefined {
    const found = this.#byId.get(id)?.find((p) => p.version === version);
    return found === undefined ? undefined : clone(PublicationSchema, found);
  }

  /** The id of the publication that had `version`, or `undefined` when no kept publication had it. */
  ownerOf(version: string): string | undefined {
    for (const [id, versions] of this.#byId) {
      if (versions.some((p) => p.version === version)) return id;
    }
    return undefined;
  }

  /** Adds this version, or replaces the one with the same version (an acknowledgement), and writes the file. */
  async record(publication: Publication): Promise<void> {
    const versions = [...(this.#byId.get(publication.id) ?? [])];
    const at = versions.findIndex((p) => p.version === publication.version);
    const copy = clone(PublicationSchema, publication);
    if (at >= 0) versions[at] = copy;
    else versions.push(copy);
    await this.#write(publication.id, versions);
    this.#byId.set(publication.id, versions);
  }

  /** Forgets every version of `id` (the publication was deleted). */
  async forget(id: string): Promise<void> {
    await this.#directory.removeFile(encodeFileName(id));
    this.#byId.delete(id);
  }

  async #write(id: string, versions: readonly Publication[]): Promise<void> {
    const parts = versions.map((p) => sizeDelimitedEncode(PublicationSchema, p));
    await this.#directory.writeFileAtomic(encodeFileName(id), Buffer.concat(parts));
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
