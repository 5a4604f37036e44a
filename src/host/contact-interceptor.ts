import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Clock } from "../core/clock.js";
import type { ServerContactLog } from "./server-contact-log.js";

/**
 * Tells `log` of every answer from `server`: a response (headers of a
 * stream, or a unary reply), each stream message, and a refusal (any status
 * the server itself sent is an answer). A failure for want of a connection
 * (no answer, a broken stream, UNAVAILABLE, a deadline) is a loss; a call
 * this side aborted is neither.
 */
export function contactInterceptor(server: string, log: ServerContactLog, clock: Clock): Interceptor {
  const failed = (error: unknown, signal: AbortSignal) => {
    if (signal.aborted) return;
    if (isConnectionFailure(error)) log.lost(server, clock.now());
    else log.heard(server, clock.now());
  };
  return (next) => async (request) => {
    let response;
    try {
      response = await next(request);
    } catch (error) {
      failed(error, request.signal);
      throw error;
    }
    log.heard(server, clock.now());
    if (!response.stream) return response;
    const messages = response.message;
    async function* watched() {
      try {
        for await (const message of messages) {
          log.heard(server, clock.now());
          yield message;
        }
      } catch (error) {
        failed(error, request.signal);
        throw error;
      }
    }
    return { ...response, message: watched() };
  };
}

/** No answer from the server: the network, a dropped connection, a gateway that cannot reach it, or no reply in time. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof ConnectError)) return true;
  if (error.code === Code.Canceled) return false;
  if (error.code === Code.Unavailable || error.code === Code.DeadlineExceeded) return true;
  // A fetch that failed ("Failed to fetch", a body cut off) is wrapped with its cause; a status the server sent has none.
  return error.cause !== undefined && !(error.cause instanceof ConnectError);
}
