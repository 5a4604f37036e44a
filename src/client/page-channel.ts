import { isHostBound, isHostReport } from "../protocol/message-spec.js";
import type { HostReportMessage, ToHostMessage } from "../protocol/messages.js";
import { parseToPageExceptReports, type PageMessageButReport } from "../protocol/to-page-messages.js";

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

/** What reads and takes in the host's reports, loaded at the first one. */
export type HostReportInbox = typeof import("./host-report-inbox.js");

/**
 * The page's end of the shared BroadcastChannel: validates everything that
 * arrives, hands page-bound messages to `onMessage`, ignores host-bound ones
 * (other tabs talking to a leader; the host validates and counts those, as
 * pages do page-bound ones) and drops and counts the rest.
 *
 * The host's reports (diagnostics: acknowledgements, recoveries, contacts…)
 * are validated by a table loaded when the first one arrives
 * (`host-report-inbox.ts`, which also says what a tab takes from them),
 * then handed to `onReport` with that module, in the order they came; every
 * other message to `onMessage` at once.
 */
export function openPageChannel(
  onMessage: (message: PageMessageButReport) => void,
  onReport: (report: HostReportMessage, inbox: HostReportInbox) => void,
  channel: BroadcastChannel,
): PageChannel {
  let dropped = 0;
  let received = 0;
  let closed = false;
  let reportInbox: Promise<HostReportInbox> | undefined;
  let reports = Promise.resolve();
  /** Counts an arrival (received when it validated, dropped when not) and says whether to hand it on: never once closed. */
  const counted = <M>(message: M | undefined): message is M => {
    if (closed) return false;
    if (message) received += 1;
    else dropped += 1;
    return message !== undefined;
  };
  const deliverReport = (raw: unknown) => {
    const loading = (reportInbox ??= import("./host-report-inbox.js"));
    // Chained, so reports are handed on in the order they came.
    reports = reports
      .then(async () => {
        let inbox: HostReportInbox;
        try {
          inbox = await loading;
        } catch {
          // The table's chunk could not be fetched: this report is dropped
          // unread, and the next one tries again.
          if (reportInbox === loading) reportInbox = undefined;
          counted(undefined);
          return;
        }
        const report = inbox.parseHostReport(raw);
        if (counted(report)) onReport(report, inbox);
      })
      // A handler that throws is reported as it would be from the event listener, and the chain goes on.
      .catch((error: unknown) => globalThis.reportError?.(error));
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = parseToPageExceptReports(event.data);
    if (message) {
      if (counted(message)) onMessage(message);
    } else if (isHostReport(event.data)) deliverReport(event.data);
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
