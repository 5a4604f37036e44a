import type { HostReportMessage, ReceiptInfo, ServerContact, StorageRecovery, UpstreamProtocol, WatchdogEvent } from "../protocol/messages.js";
import type { RefScope } from "../protocol/publication-ref.js";

// A page loads this module when the first of the host's reports arrives
// (page-channel.ts): none is needed to show a value, so neither their
// validators nor what a tab makes of them are in its first load.
export { parseHostReport } from "../protocol/host-reports.js";

/** What the host last reported that concerns this tab: the share of `ClientDiagnostics` its reports fill. */
export interface ReportedDiagnostics {
  /** This device's acknowledgements to this server. */
  receipts: readonly ReceiptInfo[];
  receiptsRefusedSince: number | undefined;
  storageRecoveries: readonly StorageRecovery[];
  /** The protocol of the host's requests to this server's origin. */
  upstreamProtocol: UpstreamProtocol | undefined;
  watchdogEvents: readonly WatchdogEvent[];
  /** When the host last heard this server (and lost it since). */
  serverContact: ServerContact | undefined;
}

type Handlers = {
  readonly [T in HostReportMessage["type"]]: (report: Extract<HostReportMessage, { type: T }>, reported: ReportedDiagnostics, scope: RefScope) => void;
};

/** What a tab takes from each report, for its server × device: one handler per row of `protocol/host-reports.ts`. */
const REPORT_HANDLERS: Handlers = {
  receipts(report, reported, scope) {
    if (report.server !== scope.server) return;
    reported.receipts = report.receipts.filter((receipt) => receipt.device === scope.device);
    reported.receiptsRefusedSince = report.refusedSince;
  },
  "storage-recoveries": (report, reported) => void (reported.storageRecoveries = report.recoveries),
  "upstream-protocols"(report, reported, scope) {
    const origin = originOf(scope.server);
    reported.upstreamProtocol = report.upstreams.find((upstream) => upstream.origin === origin) ?? reported.upstreamProtocol;
  },
  "watchdog-events": (report, reported) => void (reported.watchdogEvents = report.events),
  "server-contacts"(report, reported, scope) {
    reported.serverContact = report.contacts.find((contact) => contact.server === scope.server) ?? reported.serverContact;
  },
};

/** Takes what concerns a tab of `scope` from one validated report into `reported`. */
export function applyHostReport(report: HostReportMessage, reported: ReportedDiagnostics, scope: RefScope): void {
  (REPORT_HANDLERS[report.type] as (report: HostReportMessage, reported: ReportedDiagnostics, scope: RefScope) => void)(report, reported, scope);
}

/** The origin of a server URL (the host reports protocols per origin); `undefined` for no URL. */
function originOf(server: string): string | undefined {
  try {
    return new URL(server).origin;
  } catch {
    return undefined;
  }
}
