import { type ToHostMessage, type ToPageMessage } from "../protocol/messages.js";
import { isAddressed } from "../protocol/message-spec.js";
import { parseToPageMessage } from "../protocol/to-page-messages.js";

/** Counters a page exposes for diagnostics and tests. */
export interface ChannelCounters {
  /** Messages that did not validate (wrong version, bad fields, not ours). */
  readonly dropped: number;
  /** Page-bound messages accepted. */
  readonly received: number;
}

export interface PageChannel {
  /** Sends to whoever hosts the cache on the channel (the leader tab). */
  post(message: ToHostMessage): void;
  readonly counters: ChannelCounters;
  close(): void;
}

/**
 * The page's end of the shared BroadcastChannel: validates everything that
 * arrives, hands page-bound messages to `onMessage`, ignores host-bound ones
 * (other tabs talking to a leader; the host validates and counts those, as
 * pages do page-bound ones) and drops and counts the rest.
 */
export function openPageChannel(
  onMessage: (message: ToPageMessage) => void,
  channel: BroadcastChannel,
): PageChannel {
  let dropped = 0;
  let received = 0;
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = parseToPageMessage(event.data);
    if (message) {
      received += 1;
      onMessage(message);
    } else if (!isAddressed(event.data, "to-host")) {
      dropped += 1;
    }
  };
  channel.onmessageerror = () => void (dropped += 1);
  return {
    post: (message) => channel.postMessage(message),
    get counters() {
      return { dropped, received };
    },
    close: () => channel.close(),
  };
}
