import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { HttpProtocol, OpenStreams } from "./open-streams.js";
import type { ResponseMeter } from "./response-meter.js";

/** What `GET /debug/stats` answers. Every method of the API is listed, with 0 when unused. */
export interface ServerStats {
  /** Server-streaming calls in progress, by method name (e.g. "PullPublication"). */
  readonly openStreams: Record<string, number>;
  /** Calls whose request was decoded, since start, by method name, whatever their outcome. */
  readonly calls: Record<string, number>;
  /**
   * Response body bytes written to the socket since start, by method name
   * (as sent: base64 for grpc-web-text), e.g. to measure what a reconnect costs.
   */
  readonly bytesSent: Record<string, number>;
  /**
   * Open streams whose last response write is waiting for the client to read
   * (TCP backpressure), by streaming method: their later changes pend on the
   * server, merged, until the client catches up.
   */
  readonly streamsWaitingOnClient: Record<string, number>;
  /**
   * RPC requests since start and server streams open now, by the HTTP
   * protocol the client negotiated: "h2" (HTTPS with ALPN, `--tls`) or
   * "http/1.1". Both protocols are always listed.
   */
  readonly protocols: Record<HttpProtocol, { readonly requests: number; readonly openStreams: number }>;
}

/** Counts calls per method and reports them with the open streams and the response meter's figures. */
export class CallStats {
  readonly #calls = new Map<string, number>();
  readonly #requests: Record<HttpProtocol, number> = { h2: 0, "http/1.1": 0 };
  readonly #streams: OpenStreams;
  readonly #meter: ResponseMeter;

  constructor(streams: OpenStreams, meter: ResponseMeter) {
    this.#streams = streams;
    this.#meter = meter;
  }

  countCall(method: string): void {
    this.#calls.set(method, (this.#calls.get(method) ?? 0) + 1);
  }

  /** Counts an RPC request as it arrives, before it is decoded. */
  countRequest(protocol: HttpProtocol): void {
    this.#requests[protocol]++;
  }

  snapshot(): ServerStats {
    const open = this.#streams.counts();
    const waiting = this.#meter.waitingOnClient();
    const openStreams: Record<string, number> = {};
    const streamsWaitingOnClient: Record<string, number> = {};
    const calls: Record<string, number> = {};
    for (const method of PublicationApi.methods) {
      calls[method.name] = this.#calls.get(method.name) ?? 0;
      if (method.methodKind === "server_streaming") {
        openStreams[method.name] = open[method.name] ?? 0;
        streamsWaitingOnClient[method.name] = waiting[method.name] ?? 0;
      }
    }
    const byProtocol = this.#streams.countsByProtocol();
    const protocols = {
      h2: { requests: this.#requests.h2, openStreams: byProtocol.h2 ?? 0 },
      "http/1.1": { requests: this.#requests["http/1.1"], openStreams: byProtocol["http/1.1"] ?? 0 },
    };
    return { openStreams, calls, bytesSent: this.#meter.bytesSent(), streamsWaitingOnClient, protocols };
  }
}
