import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { OpenStreams } from "./open-streams.js";

/** What `GET /debug/stats` answers. Every method of the API is listed, with 0 when unused. */
export interface ServerStats {
  /** Server-streaming calls in progress, by method name (e.g. "PullPublication"). */
  readonly openStreams: Record<string, number>;
  /** Calls whose request was decoded, since start, by method name, whatever their outcome. */
  readonly calls: Record<string, number>;
}

/** Counts calls per method and reports them with the open streams. */
export class CallStats {
  readonly #calls = new Map<string, number>();
  readonly #streams: OpenStreams;

  constructor(streams: OpenStreams) {
    this.#streams = streams;
  }

  countCall(method: string): void {
    this.#calls.set(method, (this.#calls.get(method) ?? 0) + 1);
  }

  snapshot(): ServerStats {
    const open = this.#streams.counts();
    const openStreams: Record<string, number> = {};
    const calls: Record<string, number> = {};
    for (const method of PublicationApi.methods) {
      calls[method.name] = this.#calls.get(method.name) ?? 0;
      if (method.methodKind === "server_streaming") openStreams[method.name] = open[method.name] ?? 0;
    }
    return { openStreams, calls };
  }
}
