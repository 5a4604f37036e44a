import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import {
  ListPublicationsResponseSchema,
  PublicationSchema,
  PullPublicationsResponseSchema,
  type PublicationApi,
  type Publication,
} from "../../src/gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../../src/gen/smartcore/types/change_pb.js";

/**
 * The herd's server: one device of publications answering the calls a
 * device feed makes (PullPublications, GetPublication, ListPublications),
 * called directly — no transport, no serialisation — because the
 * simulation runs thousands of feeds and only needs to count calls and
 * refuse them while the server is down. (The feed's own tests run it
 * against a real-handler server: src/core/testing/fake-device-server.ts.)
 * Methods a feed does not use answer UNIMPLEMENTED.
 */
export class HerdServer {
  readonly #publications: Publication[];
  /** What the feed's stream asks for: no bodies. */
  readonly #metadata: Publication[];
  readonly #streams = new Set<(error: ConnectError) => void>();
  /** Every call's clock time, in order. */
  readonly callTimes: number[] = [];
  down = false;

  constructor(
    private readonly now: () => number,
    publications: ReadonlyArray<{ id: string; version: string }>,
  ) {
    this.#publications = publications.map((p) => create(PublicationSchema, { ...p, body: new TextEncoder().encode(`value of ${p.id}`) }));
    this.#metadata = publications.map((p) => create(PublicationSchema, p));
  }

  /** Fails every open stream with UNAVAILABLE at once (the server went down). */
  failStreams(): void {
    const error = new ConnectError("server went down", Code.Unavailable);
    for (const fail of [...this.#streams]) fail(error);
  }

  get client(): Client<typeof PublicationApi> {
    const unimplemented = () => {
      throw new ConnectError("not in the herd server", Code.Unimplemented);
    };
    const client = {
      pullPublications: (_request: unknown, options?: { signal?: AbortSignal }) => this.#pullAll(options?.signal),
      getPublication: async (request: { id?: string }) => {
        this.#call();
        const found = this.#publications.find((p) => p.id === request.id);
        if (!found) throw new ConnectError(`no publication ${request.id}`, Code.NotFound);
        return found;
      },
      listPublications: async () => {
        this.#call();
        return create(ListPublicationsResponseSchema, { publications: this.#publications, totalSize: this.#publications.length });
      },
    };
    return new Proxy(client, { get: (target, key) => (key in target ? target[key as keyof typeof target] : unimplemented) }) as unknown as Client<
      typeof PublicationApi
    >;
  }

  #call(): void {
    this.callTimes.push(this.now());
    if (this.down) throw new ConnectError("server down", Code.Unavailable);
  }

  async *#pullAll(signal: AbortSignal | undefined) {
    this.#call();
    for (const publication of this.#metadata) {
      yield create(PullPublicationsResponseSchema, { changes: [{ type: ChangeType.ADD, newValue: publication }] });
    }
    // Then silent until the server goes down or the client leaves.
    await new Promise<void>((resolve, reject) => {
      const fail = (error: ConnectError) => {
        this.#streams.delete(fail);
        signal?.removeEventListener("abort", leave);
        reject(error);
      };
      const leave = () => {
        this.#streams.delete(fail);
        reject(new ConnectError("the client left", Code.Canceled));
      };
      if (signal?.aborted) return leave();
      this.#streams.add(fail);
      signal?.addEventListener("abort", leave, { once: true });
    });
  }
}
