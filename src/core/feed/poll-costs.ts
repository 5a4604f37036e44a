import { toBinary } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";

/**
 * What one request costs beyond its message, in bytes: the request's and
 * response's HTTP/2 HEADERS (HPACK-compressed after the first call: path,
 * content type, authorization), the gRPC-Web frame prefixes and the
 * trailers frame. About 150–250 bytes over HTTP/2 and 500–800 over
 * HTTP/1.1; 400 sits between them. It only decides close calls: the list of
 * a device against a Get for each of a few publications differs by far more.
 */
export const REQUEST_OVERHEAD_BYTES = 400;

/** Whether the server honours `read_mask` on List and Get (`pgxpublications` does not: full bodies always). */
export type ReadMasks = "unknown" | "honoured" | "ignored";

/** How one poll asks: one paged listing of the device, or a GetPublication per wanted publication. */
export type PollWay = "list" | "get";

/** The bytes a message of `publication` takes on the wire (the gRPC frame's payload). */
export function messageBytes(publication: Publication): number {
  return toBinary(PublicationSchema, publication).byteLength;
}

/**
 * What polling has measured of a server × device, kept across polls and
 * attempts: whether read masks are honoured, what the last listing of the
 * device cost, and what each publication's GetPublication cost. Each poll
 * takes the cheaper way by these figures — never by a guess: a way whose
 * cost is not known yet is measured once when that is bounded (a listing of
 * metadata on a server that honours masks), and not taken otherwise.
 */
export class PollCosts {
  #masks: ReadMasks = "unknown";
  /** Bytes of the last complete listing of the device, overheads included. */
  #listBytes: number | undefined;
  readonly #getBytes = new Map<string, number>();

  get masks(): ReadMasks {
    return this.#masks;
  }

  /**
   * A listing asked with a metadata mask answered `publications`: any body
   * in it says the server ignores masks. Entries without bodies say nothing
   * when the answer holds none at all (the device may be empty).
   */
  learnMasks(publications: readonly Publication[]): void {
    if (publications.some((publication) => publication.body.length > 0)) this.#masks = "ignored";
    else if (publications.length > 0 && this.#masks === "unknown") this.#masks = "honoured";
  }

  /** A complete listing of the device: `pages` requests answering `publications`. */
  listed(publications: readonly Publication[], pages: number): void {
    this.learnMasks(publications);
    this.#listBytes = publications.reduce((sum, p) => sum + messageBytes(p), 0) + pages * REQUEST_OVERHEAD_BYTES;
    // A listing with bodies measured what a Get of each would cost too.
    if (this.#masks === "ignored") for (const p of publications) this.#getBytes.set(p.id, messageBytes(p) + REQUEST_OVERHEAD_BYTES);
  }

  /** A GetPublication of `id` answered `publication`. */
  got(publication: Publication): void {
    this.#getBytes.set(publication.id, messageBytes(publication) + REQUEST_OVERHEAD_BYTES);
  }

  /**
   * A value held for `publication.id` (stored, or from a stream): a Get
   * answers that message, so its size stands for a measurement until a
   * Get measures it.
   */
  held(publication: Publication): void {
    if (!this.#getBytes.has(publication.id)) this.got(publication);
  }

  /** `id` is gone: its figure no longer counts. */
  forget(id: string): void {
    this.#getBytes.delete(id);
  }

  /**
   * The bytes a Get of each of `ids` would cost: measured per id; an id
   * never fetched costs the mean of those measured (publications of one
   * device are alike), or is unknown when nothing was measured.
   */
  getEstimate(ids: readonly string[]): number | undefined {
    if (ids.length === 0) return 0;
    const measured = [...this.#getBytes.values()];
    if (measured.length === 0) return undefined;
    const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
    return ids.reduce((sum, id) => sum + (this.#getBytes.get(id) ?? mean), 0);
  }

  /**
   * The way the next poll takes for `wanted` publications:
   * - `list` while the whole device is watched (a fleet view needs it);
   * - a server whose masks are not known yet is asked for one listed
   *   publication first (see {@link needsMaskProbe});
   * - on a server that honours masks, the listing (metadata, one request
   *   per thousand) is measured once, then the cheaper way is taken;
   * - on one that ignores them, the listing carries every body of the
   *   device: Gets, unless a listing was measured and is cheaper.
   */
  choose(wanted: readonly string[], deviceWatched: boolean): PollWay {
    if (deviceWatched) return "list";
    const gets = this.getEstimate(wanted);
    if (this.#listBytes === undefined) return this.#masks === "ignored" ? "get" : "list";
    if (gets === undefined) return "list";
    // Metadata only: the bodies that changed come on top of the listing; one poll in many has any.
    return this.#listBytes <= gets ? "list" : "get";
  }

  /** True until a poll has learnt whether the server honours masks (and the device is not watched: a listing teaches it). */
  needsMaskProbe(deviceWatched: boolean): boolean {
    return this.#masks === "unknown" && !deviceWatched;
  }
}
