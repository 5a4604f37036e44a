import { ConnectError } from "@connectrpc/connect";

/** Abort reason asking a stream handler to end its stream with status OK. */
export class EndStreamCleanly {
  readonly reason = "ended cleanly by the server";
}

/** How to end streams from outside: cleanly (OK) or with an error status. */
export type StreamEnding = { readonly kind: "ok" } | { readonly kind: "error"; readonly error: ConnectError };

/** The HTTP protocol a client negotiated: "h2" only over TLS with ALPN (browsers speak no cleartext HTTP/2). */
export type HttpProtocol = "h2" | "http/1.1";

interface OpenStream {
  readonly method: string;
  readonly protocol: HttpProtocol;
  readonly controller: AbortController;
}

/**
 * The server-streaming calls in progress, by method. Each gets its own
 * signal so that a fault or a shutdown can end it from outside; the handler
 * settles its end with {@link settleEndedStream}.
 */
export class OpenStreams {
  readonly #streams = new Set<OpenStream>();

  /** Registers a stream; call `close` exactly when it ends, however it ends. */
  open(method: string, protocol: HttpProtocol = "http/1.1"): { readonly signal: AbortSignal; close(): void } {
    const stream: OpenStream = { method, protocol, controller: new AbortController() };
    this.#streams.add(stream);
    return { signal: stream.controller.signal, close: () => this.#streams.delete(stream) };
  }

  /** Number of open streams per method (only methods with at least one). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { method } of this.#streams) counts[method] = (counts[method] ?? 0) + 1;
    return counts;
  }

  /** Number of open streams per protocol (only protocols with at least one). */
  countsByProtocol(): Partial<Record<HttpProtocol, number>> {
    const counts: Partial<Record<HttpProtocol, number>> = {};
    for (const { protocol } of this.#streams) counts[protocol] = (counts[protocol] ?? 0) + 1;
    return counts;
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Ends every open stream as `ending` says; resolves to how many were asked to end. */
  endAll(ending: StreamEnding): number {
    const reason = ending.kind === "ok" ? new EndStreamCleanly() : ending.error;
    let count = 0;
    for (const { controller } of this.#streams) {
      if (controller.signal.aborted) continue;
      controller.abort(reason);
      count++;
    }
    return count;
  }
}

/**
 * Called by a stream handler whose signal aborted: returns (the stream ends
 * with OK) when it was asked to end cleanly, otherwise throws the abort
 * reason so the client sees that status.
 */
export function settleEndedStream(signal: AbortSignal): void {
  const reason: unknown = signal.reason;
  if (reason instanceof EndStreamCleanly) return;
  throw reason instanceof ConnectError ? reason : ConnectError.from(reason);
}
