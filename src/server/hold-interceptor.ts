import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { sleep, type Clock } from "../core/clock.js";
import type { FaultState } from "./faults.js";

/** Holds each new call while the "hold calls" fault is active (a stalled server). */
export function holdCallsWhenAsked(faults: FaultState, clock: Clock): Interceptor {
  return (next) => async (req) => {
    const wait = faults.holdRemaining();
    if (wait > 0) await sleep(clock, wait, req.signal).promise;
    // The client gave up (deadline, cancel) or the server is closing: do not run the call after all.
    if (req.signal.aborted) throw ConnectError.from(req.signal.reason);
    return next(req);
  };
}
