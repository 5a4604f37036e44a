import type { HostMode, PubCacheClient, UpstreamProtocol } from "../entries/index.js";
import { formatBytes } from "./byte-size.js";
import { describeError } from "./error-text.js";
import { contactStatus, describeContact } from "./server-contact-text.js";
import { describeOfflineAvailability, type OfflineAvailability } from "./offline-availability.js";
import type { PublicationCard } from "./publication-card.js";
import { describeReceipts } from "./receipts-text.js";
import { readStorageInfo } from "./storage-info.js";
import { describeStorageRecoveries } from "./storage-recovery-text.js";
import { describeWatchdogEvents } from "./watchdog-text.js";
import type { TimeFormat } from "./time-format.js";
import { readWorkerInfo, type WorkerInfo } from "./worker-info.js";

const HOST_MODES: Record<HostMode, string> = {
  "service-worker": "Service worker",
  leader: "Leader tab (this tab hosts the cache)",
  follower: "Follower tab (another tab hosts the cache)",
};

export interface DiagnosticsPanel {
  readonly element: HTMLDialogElement;
  open(): void;
  isOpen(): boolean;
  /** Re-reads the per-publication rows; called every second while open. */
  refresh(now: number): void;
}

/**
 * The engineer's view, one key (D) or one tap away: who hosts the cache,
 * whether a service worker runs and if not why (plain http, a certificate
 * the device does not trust), which worker build, the HTTP protocol to the
 * server, this screen's receipts (one line when the server's policy
 * refuses them), storage persistence and quota, storage the host found
 * lost while running and what it wrote back, per publication the
 * upstream state, size, last confirmation and last error, the receipts this
 * screen sent, is waiting to send or had refused, and "clear cache".
 * Sizes in kB/MB (byte-size.ts), errors in plain words with the code beside
 * (error-text.ts, the reported text in the cell's tooltip), times in the
 * screen's one format (time-format.ts).
 * A modal `<dialog>`: Escape closes it and focus returns where it was.
 * Every value carries `data-diag="<name>"` so tests read the real values.
 */
export function createDiagnosticsPanel(deps: {
  readonly client: PubCacheClient;
  readonly cards: ReadonlyMap<string, PublicationCard>;
  readonly time: TimeFormat;
  readonly pageBuild: string;
  /** The answer to the start-up `navigator.storage.persist()` request. */
  readonly persistAnswer: () => boolean | undefined | "pending";
  /** Whether this screen can start offline, and if not why (see offline-availability.ts). */
  readonly availability: () => OfflineAvailability;
}): DiagnosticsPanel {
  const { client, cards, time } = deps;
  const dialog = document.createElement("dialog");
  dialog.className = "diagnostics";
  dialog.setAttribute("aria-labelledby", "diagnostics-title");
  dialog.innerHTML = `
    <header class="diagnostics-head">
      <h2 id="diagnostics-title">Diagnostics</h2>
      <form method="dialog"><button class="button" value="close">Close</button></form>
    </header>
    <section aria-labelledby="diag-host-title">
      <h3 id="diag-host-title">This screen</h3>
      <dl class="diag-list">
        <div><dt>Cache host</dt><dd data-diag="host-mode"></dd></div>
        <div><dt>Service worker</dt><dd data-diag="worker-state"></dd></div>
        <div><dt>Worker build</dt><dd data-diag="worker-build"></dd></div>
        <div><dt>Server</dt><dd data-diag="server-contact"></dd></div>
        <div><dt>Upstream protocol</dt><dd data-diag="upstream-protocol"></dd></div>
        <div><dt>Page build</dt><dd data-diag="page-build"></dd></div>
        <div><dt>Channel messages</dt><dd data-diag="messages"></dd></div>
        <div><dt>Watchdog</dt><dd data-diag="watchdog"></dd></div>
      </dl>
    </section>
    <section aria-labelledby="diag-storage-title">
      <h3 id="diag-storage-title">Storage</h3>
      <dl class="diag-list">
        <div><dt>Persistent storage</dt><dd data-diag="persisted"></dd></div>
        <div><dt>Used by this site</dt><dd data-diag="usage"></dd></div>
        <div><dt>Cached publications</dt><dd data-diag="cache-size"></dd></div>
        <div><dt>Storage lost while running</dt><dd data-diag="storage-recovery"></dd></div>
      </dl>
      <p class="diag-actions">
        <button type="button" class="button" data-action="clear">Clear cache</button>
        <span role="status" data-diag="clear-result"></span>
      </p>
    </section>
    <section aria-labelledby="diag-pubs-title">
      <h3 id="diag-pubs-title">Publications</h3>
      <div class="json-table-wrap" tabindex="0" role="region" aria-labelledby="diag-pubs-title">
        <table class="diag-table">
          <thead><tr>
            <th scope="col">Publication</th><th scope="col">Upstream</th><th scope="col">Version</th>
            <th scope="col">Size</th><th scope="col">Source</th><th scope="col">Last confirmed</th><th scope="col">Last error</th>
          </tr></thead>
          <tbody data-diag="publications"></tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="diag-receipts-title">
      <h3 id="diag-receipts-title">Receipts</h3>
      <p data-diag="receipts-summary"></p>
      <div class="json-table-wrap" tabindex="0" role="region" aria-labelledby="diag-receipts-title" data-diag="receipts-table">
        <table class="diag-table">
          <thead><tr>
            <th scope="col">Publication</th><th scope="col">Version</th><th scope="col">Said</th><th scope="col">Status</th>
          </tr></thead>
          <tbody data-diag="receipts"></tbody>
        </table>
      </div>
    </section>`;
  const field = (name: string) => dialog.querySelector<HTMLElement>(`[data-diag="${name}"]`)!;
  const tbody = field("publications");
  const receiptsBody = field("receipts");
  const clearButton = dialog.querySelector<HTMLButtonElement>('[data-action="clear"]')!;

  clearButton.addEventListener("click", () => void clearCache());
  async function clearCache() {
    clearButton.disabled = true;
    field("clear-result").textContent = "Clearing…";
    try {
      await client.clear();
      field("clear-result").textContent = "Cache cleared. Data is fetched again from the server.";
    } catch (error) {
      field("clear-result").textContent = `Could not clear the cache: ${String(error)}`;
    } finally {
      clearButton.disabled = false;
      void readSlowValues();
    }
  }

  // The availability the slow rows were last written for: they are read again when it changes.
  let shownAvailability: string | undefined;

  async function readSlowValues() {
    const availability = deps.availability();
    shownAvailability = JSON.stringify(availability);
    const [worker, storage] = await Promise.all([readWorkerInfo(), readStorageInfo()]);
    // Not the browser's lack: where the page is on plain http or its certificate is not trusted, the rows say so.
    const offline = describeOfflineAvailability(availability);
    field("worker-state").dataset.availability = availability.kind;
    field("worker-state").textContent = offline.worker ?? describeWorker(worker);
    field("worker-build").textContent = worker.build ?? "unknown";
    field("persisted").textContent = offline.storage ?? describePersistence(storage.persisted, deps.persistAnswer());
    field("usage").textContent =
      storage.usage === undefined ? "unknown" : `${formatBytes(storage.usage)} of ${formatBytes(storage.quota)} available`;
  }

  function refresh(now: number) {
    const mode = client.diagnostics.mode;
    field("host-mode").textContent = HOST_MODES[mode];
    field("host-mode").dataset.mode = mode;
    field("page-build").textContent = deps.pageBuild;
    field("messages").textContent = `${client.diagnostics.receivedMessages} received, ${client.diagnostics.droppedMessages} rejected`;
    field("storage-recovery").textContent = describeStorageRecoveries(client.diagnostics.storageRecoveries, time, now);
    field("watchdog").textContent = describeWatchdogEvents(client.diagnostics.watchdogEvents, time, now);
    field("upstream-protocol").textContent = describeUpstreamProtocol(client.diagnostics.upstreamProtocol);
    field("server-contact").textContent = describeContact(contactStatus(client.diagnostics.serverContact, navigator.onLine), now, time);
    // A registration fails (or succeeds) a while after start-up, maybe while the panel is open.
    if (JSON.stringify(deps.availability()) !== shownAvailability) void readSlowValues();
    let count = 0;
    let bytes = 0;
    const rows: HTMLTableRowElement[] = [];
    for (const [id, card] of cards) {
      const update = card.latest();
      const value = update.value;
      if (value) {
        count++;
        bytes += value.publication.body.byteLength;
      }
      const confirmed = card.confirmedAt();
      const error = card.lastError();
      const errorText = error ? describeError(error) : undefined;
      const row = tableRow([
        ["id", id],
        ["upstream", update.state.kind === "retrying" ? `retrying in ${Math.max(0, Math.ceil((update.state.nextAttemptAt - now) / 1000))} s` : update.state.kind],
        ["version", value?.publication.version.slice(0, 8) ?? "—"],
        ["size", value ? formatBytes(value.publication.body.byteLength) : "—"],
        ["source", value?.source ?? "—"],
        ["last-confirmed", confirmed === undefined ? "never" : `${time.clock(confirmed, now)} (${time.relative(confirmed, now)})`],
        ["last-error", error && errorText ? `${errorText.text} at ${time.clock(error.at, now)}` : "none", errorText?.raw],
      ]);
      row.dataset.diagPublication = id;
      rows.push(row);
    }
    tbody.replaceChildren(...rows);
    field("cache-size").textContent = `${count} of ${cards.size}, ${formatBytes(bytes)}`;

    const refusedByPolicy = client.diagnostics.receiptsRefusedSince !== undefined;
    const receipts = describeReceipts(client.diagnostics.receipts, time, now, refusedByPolicy);
    field("receipts-summary").textContent = receipts.summary;
    field("receipts-summary").dataset.refused = String(refusedByPolicy);
    field("receipts-table").hidden = receipts.rows.length === 0;
    receiptsBody.replaceChildren(
      ...receipts.rows.map((receipt) => {
        const row = tableRow([
          ["id", receipt.id],
          ["version", receipt.version],
          ["receipt", receipt.receipt],
          ["status", receipt.state, receipt.raw],
        ]);
        row.dataset.diagReceipt = receipt.id;
        row.dataset.status = receipt.status;
        return row;
      }),
    );
  }

  return {
    element: dialog,
    open() {
      // First: it notes the availability it shows, so refresh() does not read the slow values again.
      void readSlowValues();
      refresh(Date.now());
      dialog.showModal();
    },
    isOpen: () => dialog.open,
    refresh,
  };
}

/** A row whose first cell heads it; each cell named by `data-diag`, with an optional tooltip. */
function tableRow(cells: ReadonlyArray<readonly [name: string, text: string, tooltip?: string]>): HTMLTableRowElement {
  const row = document.createElement("tr");
  cells.forEach(([name, text, tooltip], i) => {
    const cell = document.createElement(i === 0 ? "th" : "td");
    if (i === 0) cell.scope = "row";
    cell.dataset.diag = name;
    cell.textContent = text;
    if (tooltip !== undefined) cell.title = tooltip;
    row.append(cell);
  });
  return row;
}

function describeWorker(worker: WorkerInfo): string {
  if (!worker.supported) return "Not available in this browser";
  if (!worker.state) return "Not controlling this page";
  return `${worker.state} (${new URL(worker.scriptUrl ?? "", location.href).pathname})`;
}

function describePersistence(persisted: boolean | undefined, asked: boolean | undefined | "pending"): string {
  if (persisted === undefined) return "Not available in this browser";
  if (persisted) return "Granted: the browser will not evict this data";
  return `Not granted${asked === "pending" ? " (asking…)" : ""}: the browser may evict this data under storage pressure`;
}

/** "h2 (https://kiosk.test:8700)", or why the protocol is not known. */
export function describeUpstreamProtocol(upstream: UpstreamProtocol | undefined): string {
  if (!upstream) return "not known yet (no request to the server has finished)";
  if (upstream.protocol === undefined) return `unknown (${upstream.origin}: a server on another origin must send Timing-Allow-Origin)`;
  return `${upstream.protocol} (${upstream.origin})`;
}
