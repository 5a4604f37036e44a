import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { PUBLICATION_SERVICES } from "./service-paths.js";
import type { HttpProtocol, OpenStreams } from "./open-streams.js";
import type { ResponseMeter } from "./response-meter.js";

/** What `GET /debug/stats` answers. Every method of the API is listed, with 0 when unused. */
export interface ServerStats {
  /** Server-streaming calls in progress, by method name (e.g. "PullPublication"). */
  readonly openStreams: Record<string, number>;
  /**
   * Calls whose request was decoded, since start, by method name, whatever
   * their outcome: the calls of both service paths summed (a
   * `GetPublication` through `smartcore.traits` and one through
   * `smartcore.bos.publication.v1` count 2).
   */
  readonly calls: Record<string, number>;
  /**
   * The same calls by service (`"smartcore.traits.PublicationApi"`,
   * `"smartcore.bos.publication.v1.PublicationApi"`), then by method name.
   * Both services and every method are listed, with 0 when unused (a path the
   * server does not serve stays at 0: its calls are rejected before decoding).
   */
  readonly callsByService: Record<string, Record<string, number>>;
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
  /** Keyed by "<service>/<method>". */
  readonly #calls = new Map<string, number>();
  readonly #requests: Record<HttpProtocol, number> = { h2: 0, "http/1.1": 0 };
  readonly #streams: OpenStreams;
  readonly #meter: ResponseMeter;

  constructor(streams: OpenStreams, meter: ResponseMeter) {
    this.#streams = streams;
    this.#meter = meter;
  }

  /** Counts a decoded call of `method` of `service` (its type name). */
  countCall(service: string, method: string): void {
    const key = `${service}/${method}`;
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
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
    const callsByService: Record<string, Record<string, number>> = {};
    for (const service of PUBLICATION_SERVICES) {
      const byMethod: Record<string, number> = {};
      for (const method of service.methods) {
        const count = this.#calls.get(`${service.typeName}/${method.name}`) ?? 0;
        byMethod[method.name] = count;
        calls[method.name] = (calls[method.name] ?? 0) + count;
      }
      callsByService[service.typeName] = byMethod;
    }
    for (const method of PublicationApi.methods) {
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
    return { openStreams, calls, callsByService, bytesSent: this.#meter.bytesSent(), streamsWaitingOnClient, protocols };
  }
}
