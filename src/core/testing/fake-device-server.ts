import { clone, create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport, type Client, type ConnectRouter, type Interceptor, type Transport } from "@connectrpc/connect";
import {
  PublicationApi,
  Publication_AudienceSchema,
  PublicationSchema,
  PullPublicationResponseSchema,
  PullPublicationsResponseSchema,
  type Publication,
  type PullPublicationResponse,
  type PullPublicationsResponse,
  type PullPublicationsResponse_Change,
} from "../../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../../gen/smartcore/types/change_pb.js";
import { WakeSignal } from "./wake-signal.js";

type Method = "pullPublications" | "pullPublication" | "getPublication" | "listPublications" | "acknowledgePublication";

/** A queue one open stream reads from; `undefined` ends it OK, a Code ends it with that error. */
class StreamQueue<T> {
  readonly #items: Array<T | { end: Code | undefined }> = [];
  readonly #wake = new WakeSignal();
  silent = false;

  push(item: T): void {
    if (this.silent) return;
    this.#items.push(item);
    this.#wake.wake();
  }

  end(code?: Code): void {
    this.#items.push({ end: code });
    this.#wake.wake();
  }

  async *read(signal: AbortSignal): AsyncGenerator<T> {
    for (;;) {
      while (this.#items.length === 0) {
        if (signal.aborted) return;
        await this.#wake.wait(signal);
      }
      const item = this.#items.shift()!;
      if (typeof item === "object" && item !== null && "end" in item) {
        if (item.end !== undefined) throw new ConnectError("stream ended by the server", item.end);
        return;
      }
      yield item as T;
    }
  }
}

/**
 * A controllable device of a publication server, in memory through the
 * router transport (real handler code, no network): many publications,
 * PullPublications with read masks and every change type, PullPublication,
 * Get and List with masks and paging; knobs to refuse a method
 * (UNIMPLEMENTED), fail calls, silence or end streams, and a record of
 * every call. For the device feed's tests under fake time.
 */
export class FakeDeviceServer {
  readonly #publications = new Map<string, Publication>();
  readonly #collectionStreams = new Set<StreamQueue<PullPublicationsResponse_Change>>();
  readonly #publicationStreams = new Map<StreamQueue<Publication>, string>();
  /** Methods answering with this code instead of working (e.g. Code.Unimplemented). */
  readonly failures = new Map<Method, Code>();
  /** Methods whose next call only answers with this code. */
  readonly failNext = new Map<Method, Code>();
  /** ListPublications fills `total_size` (the reference server does; the database-backed one does not). */
  listCountsTotal = true;
  /** Get and List answer full bodies whatever the read mask asks (the database-backed server does). */
  ignoreReadMasks = false;
  /** What Get says of a missing id: NOT_FOUND (reference server) or UNKNOWN "no rows in result set" (database-backed). */
  missingCode: Code = Code.NotFound;
  /** Bytes of every Publication message Get and List answered (the payload; no framing). */
  bytesSent = 0;
  /** Bytes of every change PullPublications streams sent. */
  streamBytes = 0;
  /**
   * Runs after a Get has read the publication and before it answers: a test
   * holds the answer here to let a change land while the call is in flight.
   */
  beforeGetAnswers: ((id: string) => Promise<void>) | undefined;
  /** A new PullPublications stream registers but sends nothing at all (stuck behind a proxy, or queued). */
  stallNewCollectionStreams = false;
  /** Every call, in order, with its request. */
  readonly calls: Array<{ readonly method: Method; readonly request: unknown; readonly at: number }> = [];
  readonly client: Client<typeof PublicationApi>;
  /** The in-memory transport the client uses (for code that builds its own clients). */
  readonly transport: Transport;
  readonly #routes: (router: ConnectRouter) => void;

  constructor(
    private readonly now: () => number = () => 0,
    private readonly listPageSize = 1000,
  ) {
    this.#routes = ({ service }) => {
      service(PublicationApi, {
        getPublication: async (request) => {
          this.#called("getPublication", request);
          const found = this.#publications.get(request.id);
          if (this.beforeGetAnswers) await this.beforeGetAnswers(request.id);
          if (!found) {
            if (this.missingCode === Code.Unknown) throw new ConnectError("no rows in result set", Code.Unknown);
            throw new ConnectError(`no publication ${request.id}`, this.missingCode);
          }
          return this.#answer(found, request.readMask?.paths);
        },
        listPublications: (request) => {
          this.#called("listPublications", request);
          const ids = [...this.#publications.keys()].sort();
          const start = request.pageToken === "" ? 0 : ids.indexOf(request.pageToken) + 1;
          const size = Math.min(request.pageSize || 50, this.listPageSize);
          const page = ids.slice(start, start + size);
          const more = start + size < ids.length;
          return {
            publications: page.map((id) => this.#answer(this.#publications.get(id)!, request.readMask?.paths)),
            nextPageToken: more ? page.at(-1)! : "",
            totalSize: this.listCountsTotal ? ids.length : 0,
          };
        },
        acknowledgePublication: (request) => {
          this.#called("acknowledgePublication", request);
          const found = this.#publications.get(request.id);
          if (!found) throw new ConnectError(`no publication ${request.id}`, Code.NotFound);
          if (found.version !== request.version) throw new ConnectError("version mismatch", Code.Aborted);
          const next = clone(PublicationSchema, found);
          next.audience = create(Publication_AudienceSchema, {
            name: found.audience?.name ?? "",
            receipt: request.receipt,
            receiptRejectedReason: request.receiptRejectedReason,
            receiptTime: timestampFromMs(this.now()),
          });
          this.publish(next);
          return next;
        },
        pullPublications: (request, context) => this.#pullAll(request.readMask?.paths, request.updatesOnly, context.signal, request),
        pullPublication: (request, context) => this.#pullOne(request.id, context.signal, request),
      });
    };
    this.transport = this.transportWith([]);
    this.client = createClient(PublicationApi, this.transport);
  }

  /** Another client's transport to this server, with its own interceptors (e.g. one adding a token). */
  transportWith(interceptors: Interceptor[]): Transport {
    return createRouterTransport(this.#routes, { transport: { interceptors } });
  }

  /** Calls of one method so far. */
  count(method: Method): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  get openCollectionStreams(): number {
    return this.#collectionStreams.size;
  }

  get openPublicationStreams(): number {
    return this.#publicationStreams.size;
  }

  get(id: string): Publication | undefined {
    return this.#publications.get(id);
  }

  /** Sets the publication (ADD or UPDATE) and tells every open stream. */
  publish(publication: Publication): void {
    const old = this.#publications.get(publication.id);
    this.#publications.set(publication.id, publication);
    this.sendChange({
      type: old ? ChangeType.UPDATE : ChangeType.ADD,
      newValue: publication,
      ...(old && { oldValue: old }),
    });
    for (const [stream, id] of this.#publicationStreams) if (id === publication.id) stream.push(publication);
  }

  /** Sets publications without telling any stream (they changed while we were away). */
  seed(...publications: Publication[]): void {
    for (const publication of publications) this.#publications.set(publication.id, publication);
  }

  /** Deletes it: REMOVE on collection streams; its PullPublication streams end OK. */
  remove(id: string, { silently = false } = {}): void {
    const old = this.#publications.get(id);
    this.#publications.delete(id);
    if (silently || !old) return;
    this.sendChange({ type: ChangeType.REMOVE, oldValue: old });
    for (const [stream, streamId] of this.#publicationStreams) if (streamId === id) stream.end();
  }

  /** Sends a raw change on every collection stream (merged changes, malformed ones). */
  sendChange(change: { type: ChangeType; newValue?: Publication; oldValue?: Publication }): void {
    for (const stream of this.#collectionStreams) {
      stream.push(
        create(PullPublicationsResponseSchema, { changes: [{ name: "dev", changeTime: timestampFromMs(this.now()), ...change }] }).changes[0]!,
      );
    }
  }

  /** Ends every open stream, OK or with `code`. */
  endStreams(code?: Code): void {
    for (const stream of this.#collectionStreams) stream.end(code);
    for (const stream of this.#publicationStreams.keys()) stream.end(code);
  }

  /** Open streams stay open and never send again. */
  silenceStreams(): void {
    for (const stream of this.#collectionStreams) stream.silent = true;
    for (const stream of this.#publicationStreams.keys()) stream.silent = true;
  }

  /** A Get or List entry: masked unless masks are ignored, counted in `bytesSent`. */
  #answer(publication: Publication, paths: readonly string[] | undefined): Publication {
    const answer = this.ignoreReadMasks ? publication : masked(publication, paths);
    this.bytesSent += toBinary(PublicationSchema, answer).byteLength;
    return answer;
  }

  #counted(response: PullPublicationsResponse): PullPublicationsResponse {
    this.streamBytes += toBinary(PullPublicationsResponseSchema, response).byteLength;
    return response;
  }

  #called(method: Method, request: unknown): void {
    this.calls.push({ method, request, at: this.now() });
    const once = this.failNext.get(method);
    this.failNext.delete(method);
    const failure = once ?? this.failures.get(method);
    if (failure !== undefined) throw new ConnectError(`${method} refused`, failure);
  }

  async *#pullAll(paths: string[] | undefined, updatesOnly: boolean, signal: AbortSignal, request: unknown): AsyncGenerator<PullPublicationsResponse> {
    this.#called("pullPublications", request);
    const stream = new StreamQueue<PullPublicationsResponse_Change>();
    if (this.stallNewCollectionStreams) stream.silent = true;
    this.#collectionStreams.add(stream);
    try {
      if (!updatesOnly && !stream.silent) {
        for (const id of [...this.#publications.keys()].sort()) {
          yield this.#counted(
            create(PullPublicationsResponseSchema, {
              changes: [{ name: "dev", type: ChangeType.ADD, newValue: masked(this.#publications.get(id)!, paths) }],
            }),
          );
        }
      }
      for await (const change of stream.read(signal)) {
        yield this.#counted(create(PullPublicationsResponseSchema, {
          changes: [
            {
              ...change,
              newValue: change.newValue && masked(change.newValue, paths),
              oldValue: change.oldValue && masked(change.oldValue, paths),
            },
          ],
        }));
      }
    } finally {
      this.#collectionStreams.delete(stream);
    }
  }

  async *#pullOne(id: string, signal: AbortSignal, request: unknown): AsyncGenerator<PullPublicationResponse> {
    this.#called("pullPublication", request);
    const stream = new StreamQueue<Publication>();
    this.#publicationStreams.set(stream, id);
    try {
      const current = this.#publications.get(id);
      if (current) yield create(PullPublicationResponseSchema, { changes: [{ name: "dev", publication: current }] });
      for await (const publication of stream.read(signal)) {
        yield create(PullPublicationResponseSchema, { changes: [{ name: "dev", publication }] });
      }
    } finally {
      this.#publicationStreams.delete(stream);
    }
  }
}

/** The publication with only the fields a read mask names (all of them without a mask). */
function masked(publication: Publication, paths: readonly string[] | undefined): Publication {
  if (!paths || paths.length === 0) return clone(PublicationSchema, publication);
  const out = create(PublicationSchema);
  if (paths.includes("id")) out.id = publication.id;
  if (paths.includes("version")) out.version = publication.version;
  if (paths.includes("body")) out.body = publication.body;
  if (paths.includes("media_type")) out.mediaType = publication.mediaType;
  if (paths.includes("publish_time") && publication.publishTime) out.publishTime = publication.publishTime;
  if (paths.includes("audience") && publication.audience) out.audience = publication.audience;
  return out;
}
