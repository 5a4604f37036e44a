import type { ClientDiagnostics, PubCacheClient, Publication } from "../../entries/index.js";
import { createTimeFormat, type TimeFormat } from "../time-format.js";
import { durationText, fleetOf, fleetSummary, type FleetEntry, type FleetScreen } from "./fleet-model.js";
import "./fleet.css";

export interface FleetViewOptions {
  readonly client: PubCacheClient;
  /** What the header names: the device and the server. */
  readonly source: { readonly device: string; readonly server: string };
}

/**
 * The fleet view: for every screen the device addresses publications to,
 * which version it shows — accepted at T, rejected (and why), or not
 * acknowledged yet and for how long — with the screens that need someone
 * first. Live, over the same connection as the publications (the client's
 * `watchDevice`); against a server that only polls, as fresh as its polls.
 *
 * Receipts refused by the server's access policy: the server records
 * nothing for them (NO_SIGNAL, as for a screen that has not answered), and
 * the refused screen can write nothing. What this browser's cache host knows
 * — its own screen's receipts refused, the refusal still standing — is shown
 * as "Receipts refused by the server's policy"; anything else stays "No
 * signal yet" (another browser's refusals are not known here).
 *
 * Page contract (tests): `[data-screen]` per screen with `data-status`, and
 * in it `[data-publication]` rows with `data-version` and `data-receipt`
 * (`accepted`, `rejected`, `waiting`, `refused`).
 */
export function startFleetView(options: FleetViewOptions): void {
  const time = createTimeFormat();
  document.body.classList.add("fleet");
  document.title = "Screens — which shows what";
  // Its own root: the sign-in panel, when the server needs one, sits beside it.
  const root = document.createElement("div");
  root.className = "fleet-root";
  document.body.prepend(root);
  root.innerHTML = `
    <header class="fleet-top">
      <h1>Screens</h1>
      <p class="fleet-source"></p>
      <p class="fleet-summary" role="status" aria-live="polite">Waiting for the server…</p>
    </header>
    <main class="fleet-screens" aria-label="Screens and what they show"></main>
    <footer class="fleet-bottom"><p class="fleet-updated"></p></footer>`;
  const $ = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  $(".fleet-source").textContent = `${options.source.device || "this server"} · ${new URL(options.source.server).host}`;
  const main = $(".fleet-screens");
  let publications: readonly Publication[] = [];
  let screens: FleetScreen[] = [];
  let updatedAt: number | undefined;
  let refused = refusedIdsOf(options.client.diagnostics);

  const render = () => {
    const now = Date.now();
    $(".fleet-summary").textContent = updatedAt === undefined ? "Waiting for the server…" : fleetSummary(screens);
    $(".fleet-updated").textContent = updatedAt === undefined ? "" : `Last change seen ${time.clock(updatedAt, now)} · times in your local time`;
    main.replaceChildren(...(screens.length === 0 && updatedAt !== undefined ? [empty()] : screens.map((s) => screenCard(s, now, time))));
  };
  options.client.watchDevice((latest: readonly Publication[]) => {
    publications = latest;
    screens = fleetOf(publications, refused);
    updatedAt = Date.now();
    render();
  });
  render();
  // The "behind for" times move on by themselves.
  setInterval(render, 10_000);
  // The host's word on refused receipts comes apart from the device's publications: looked at every second (cheap), drawn when it changes.
  setInterval(() => {
    const next = refusedIdsOf(options.client.diagnostics);
    if (sameSet(next, refused)) return;
    refused = next;
    screens = fleetOf(publications, refused);
    if (updatedAt !== undefined) render();
  }, 1_000);
}

function screenCard(screen: FleetScreen, now: number, time: TimeFormat): HTMLElement {
  const section = el("section", "fleet-screen");
  section.dataset.screen = screen.name;
  section.dataset.status = screen.status;
  const head = el("h2", "fleet-screen-name", screen.name);
  const status = el("p", "fleet-screen-status", statusText(screen, now));
  const table = el("table", "fleet-table");
  table.innerHTML = `<thead><tr><th scope="col">Publication</th><th scope="col">Version</th><th scope="col">Published</th><th scope="col">This screen</th></tr></thead>`;
  const body = el("tbody", "");
  for (const entry of screen.entries) body.append(entryRow(entry, now, time));
  table.append(body);
  section.append(head, status, table);
  return section;
}

/** Publications whose receipts this browser's host has refused by the server's policy, while that refusal stands. */
function refusedIdsOf(diagnostics: ClientDiagnostics): ReadonlySet<string> {
  if (diagnostics.receiptsRefusedSince === undefined) return new Set();
  return new Set(diagnostics.receipts.filter((r) => r.status === "refused").map((r) => r.id));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

function statusText(screen: FleetScreen, now: number): string {
  switch (screen.status) {
    case "up-to-date":
      return "Shows the latest of everything";
    case "rejecting":
      return "Cannot show something it was sent";
    case "refused":
      return "Its sign-in may not send receipts: what it shows is not known";
    case "behind":
      return screen.behindSinceMs === undefined ? "Has not confirmed the latest" : `Behind for ${durationText(now - screen.behindSinceMs)}`;
  }
}

function entryRow(entry: FleetEntry, now: number, time: TimeFormat): HTMLTableRowElement {
  const row = document.createElement("tr");
  row.dataset.publication = entry.id;
  row.dataset.version = entry.version;
  row.dataset.receipt = entry.receipt;
  const published = entry.publishTimeMs === undefined ? "—" : time.clock(entry.publishTimeMs, now);
  const receipt = receiptText(entry, now, time);
  for (const [text, className] of [
    [entry.id, "fleet-id"],
    [entry.version.slice(0, 8), "fleet-version"],
    [published, "fleet-published"],
    [receipt, `fleet-receipt fleet-receipt-${entry.receipt}`],
  ] as const) {
    row.append(el("td", className, text));
  }
  return row;
}

function receiptText(entry: FleetEntry, now: number, time: TimeFormat): string {
  switch (entry.receipt) {
    case "accepted":
      return `Accepted${entry.receiptTimeMs === undefined ? "" : ` at ${time.clock(entry.receiptTimeMs, now)}`}`;
    case "rejected":
      return `Rejected: ${entry.reason ?? "no reason given"}`;
    case "refused":
      return "Receipts refused by the server's policy";
    case "waiting":
      return entry.publishTimeMs === undefined ? "No signal yet" : `No signal yet · behind for ${durationText(now - entry.publishTimeMs)}`;
  }
}

function empty(): HTMLElement {
  return el("p", "fleet-empty", "Nothing on this device is addressed to a screen.");
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
