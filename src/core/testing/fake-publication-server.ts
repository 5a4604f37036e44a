import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import {
  PublicationApi,
  PublicationSchema,
  PullPublicationResponseSchema,
  type GetPublicationRequest,
  type Publication,
  type PullPublicationRequest,
  type PullPublicationResponse,
} from "../../gen/smartcore/traits/publication_pb.js";
import { WakeSignal } from "./wake-signal.js";

type StreamEvent = { kind: "changes"; publications: Publication[] } | { kind: "end"; code?: Code };

/** One open PullPublication stream as the fake server sees it. */
class OpenStream {
  readonly #queue: StreamEvent[] = [];
  readonly #wake = new WakeSignal();
  /** A silent stream stays open but never sends again (a dead NAT entry, a sleeping laptop). */
  silent = false;

  push(event: StreamEvent): void {
    if (this.silent && event.kind === "changes") return;
    this.#queue.push(event);
    this.#wake.wake();
  }

  /** The next event, or `undefined` once the client went away. */
  async next(signal: AbortSignal): Promise<StreamEvent | undefined> {
    while (this.#queue.length === 0) {
      if (signal.aborted) return undefined;
      await this.#wake.wait(signal);
    }
    return this.#queue.shift();
  }
}

/**
 * A controllable PublicationApi running real handler code in memory
 * (`createRouterTransport`): publish, delete, end streams OK or with an
 * error, answer UNIMPLEMENTED, refuse credentials, hang silently, and count
 * what the client did.
 */
export class FakePublicationServer {
  /** What GetPublication returns and a new stream starts with; `undefined` = NOT_FOUND. */
  current: Publication | undefined;
  /** When set, PullPublication fails with this code (e.g. Unimplemented) instead of streaming. */
  pullFailure: Code | undefined;
  /** When set, GetPublication fails with this code. */
  getFailure: Code | undefined;
  /** When set, every call fails with this code (e.g. Unauthenticated). */
  refuseAll: Code | undefined;
  /** When set, GetPublication answers this instead of `current` (to send invalid values). */
  getOverride: ((request: GetPublicationRequest) => Publication) | undefined;

  /** When true, GetPublication never answers; the call stays open until the client gives up. */
  holdGets = false;
  /** GetPublication calls being held open right now. */
  heldGets = 0;
  /** Called as each call reaches the server, before it is answered. */
  onCall: ((method: "pull" | "get") => void) | undefined;

  readonly pullRequests: PullPublicationRequest[] = [];
  readonly getRequests: GetPublicationRequest[] = [];
  /** Every call in order, with the (fake) time it reached the server. */
  readonly calls: { readonly method: "pull" | "get"; readonly at: number }[] = [];
  readonly #streams = new Set<OpenStream>();
  readonly client: Client<typeof PublicationApi>;

  constructor(
    private readonly device = "dev",
    private readonly now: () => number = () => 0,
  ) {
    const transport = createRouterTransport(({ service }) => {
      service(PublicationApi, {
        getPublication: (request, context) => this.#get(request, context.signal),
        pullPublication: (request, context) => this.#pull(request, context.signal),
      });
    });
    this.client = createClient(PublicationApi, transport);
  }

  /** PullPublication streams currently open on the server side. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Makes `publication` current and sends it on every open stream. */
  publish(publication: Publication): void {
    this.current = publication;
    this.sendRaw(publication);
  }

  /** Sends changes on every open stream without making them current (e.g. invalid values). */
  sendRaw(...publications: Publication[]): void {
    for (const stream of this.#streams) stream.push({ kind: "changes", publications });
  }

  /** Deletes the publication: NOT_FOUND from now on, and open streams end with OK (as the reference server does). */
  delete(): void {
    this.current = undefined;
    this.endStreams();
  }

  /** Ends every open stream, with OK or with `code`. */
  endStreams(code?: Code): void {
    for (const stream of this.#streams) stream.push({ kind: "end", ...(code !== undefined && { code }) });
  }

  /** Open streams stop sending while staying open. */
  silenceStreams(): void {
    for (const stream of this.#streams) stream.silent = true;
  }

  async #get(request: GetPublicationRequest, signal: AbortSignal): Promise<Publication> {
    this.getRequests.push(request);
    this.calls.push({ method: "get", at: this.now() });
    this.onCall?.("get");
    this.#refuse();
    if (this.holdGets) await this.#hold(signal);
    if (this.getOverride) return this.getOverride(request);
    if (this.getFailure !== undefined) throw new ConnectError("get failed", this.getFailure);
    if (!this.current) throw new ConnectError(`publication ${request.id} not found`, Code.NotFound);
    const paths = request.readMask?.paths ?? [];
    if (paths.length === 0) return this.current;
    return create(PublicationSchema, {
      ...(paths.includes("id") && { id: this.current.id }),
      ...(paths.includes("version") && { version: this.current.version }),
    });
  }

  async *#pull(request: PullPublicationRequest, signal: AbortSignal): AsyncGenerator<PullPublicationResponse> {
    this.pullRequests.push(request);
    this.calls.push({ method: "pull", at: this.now() });
    this.onCall?.("pull");
    this.#refuse();
    if (this.pullFailure !== undefined) throw new ConnectError("pull failed", this.pullFailure);
    const stream = new OpenStream();
    this.#streams.add(stream);
    try {
      if (!request.updatesOnly && this.current) yield this.#response([this.current]);
      for (let event = await stream.next(signal); event; event = await stream.next(signal)) {
        if (event.kind === "end") {
          if (event.code !== undefined) throw new ConnectError("stream ended by the server", event.code);
          return;
        }
        yield this.#response(event.publications);
      }
    } finally {
      this.#streams.delete(stream);
    }
  }

  async #hold(signal: AbortSignal): Promise<never> {
    this.heldGets++;
    try {
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    } finally {
      this.heldGets--;
    }
    throw new ConnectError("client went away", Code.Canceled);
  }

  #response(publications: Publication[]): PullPublicationResponse {
    return create(PullPublicationResponseSchema, {
      changes: publications.map((publication) => ({ name: this.device, publication, changeTime: timestampFromMs(0) })),
    });
  }

  #refuse(): void {
    if (this.refuseAll !== undefined) throw new ConnectError("refused", this.refuseAll);
  }
}

/** A publication for tests. */
export function publication(id: string, version: string, body = `body of ${version}`): Publication {
  return create(PublicationSchema, { id, version, body: new TextEncoder().encode(body) });
}
