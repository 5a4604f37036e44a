import type { Interceptor } from "@connectrpc/connect";
import { sleep, type Clock } from "../core/clock.js";
import type { FaultState } from "./faults.js";

/** Holds each new call while the "hold calls" fault is active (a stalled server). */
export function holdCallsWhenAsked(faults: FaultState, clock: Clock): Interceptor {
  return (next) => async (req) => {
    const wait = faults.holdRemaining();
    if (wait > 0) await sleep(clock, wait, req.signal).promise;
    return next(req);
  };
}
