import { isHostBound, isHostReport } from "../protocol/message-spec.js";
import { type ToHostMessage, type ToPageMessage } from "../protocol/messages.js";
import { parseToPageExceptReports } from "../protocol/to-page-messages.js";

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

type HostReports = typeof import("../protocol/host-reports.js");

/**
 * The page's end of the shared BroadcastChannel: validates everything that
 * arrives, hands page-bound messages to `onMessage`, ignores host-bound ones
 * (other tabs talking to a leader; the host validates and counts those, as
 * pages do page-bound ones) and drops and counts the rest.
 *
 * The host's reports (diagnostics: acknowledgements, recoveries, contacts…)
 * are validated by a table loaded when the first one arrives, then handed
 * on in the order they came; every other message at once.
 */
export function openPageChannel(
  onMessage: (message: ToPageMessage) => void,
  channel: BroadcastChannel,
): PageChannel {
  let dropped = 0;
  let received = 0;
  let closed = false;
  let reportTable: Promise<HostReports> | undefined;
  let reports = Promise.resolve();
  const deliver = (message: ToPageMessage | undefined) => {
    if (closed) return;
    if (message) {
      received += 1;
      onMessage(message);
    } else {
      dropped += 1;
    }
  };
  const deliverReport = (raw: unknown) => {
    const table = (reportTable ??= import("../protocol/host-reports.js"));
    // Chained, so reports are handed on in the order they came.
    reports = reports
      .then(async () => {
        let parseHostReport: HostReports["parseHostReport"];
        try {
          ({ parseHostReport } = await table);
        } catch {
          // The table's chunk could not be fetched: this report is dropped
          // unread, and the next one tries again.
          if (reportTable === table) reportTable = undefined;
          deliver(undefined);
          return;
        }
        deliver(parseHostReport(raw));
      })
      // A handler that throws is reported as it would be from the event listener, and the chain goes on.
      .catch((error: unknown) => globalThis.reportError?.(error));
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = parseToPageExceptReports(event.data);
    if (message) deliver(message);
    else if (isHostReport(event.data)) deliverReport(event.data);
    else if (!isHostBound(event.data)) dropped += 1;
  };
  channel.onmessageerror = () => void (dropped += 1);
  return {
    post: (message) => channel.postMessage(message),
    get counters() {
      return { dropped, received };
    },
    close: () => {
      closed = true;
      channel.close();
    },
  };
}
