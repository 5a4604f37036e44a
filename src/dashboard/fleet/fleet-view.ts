import type { ClientDiagnostics, PubCacheClient, Publication } from "../../entries/index.js";
import { createDiagnosticsPanel } from "../diagnostics-panel.js";
import { openOnDiagnosticsKey } from "../diagnostics-key.js";
import { offlineAvailability, readPageFacts } from "../offline-availability.js";
import type { PublicationCard } from "../publication-card.js";
import { contactStatus, type ContactStatus } from "../server-contact-text.js";
import { createTimeFormat, type TimeFormat } from "../time-format.js";
import { pageBuild } from "../worker-info.js";
import { durationText, fleetAsOf, fleetOf, fleetSummary, type FleetEntry, type FleetScreen } from "./fleet-model.js";
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
 * When the server cannot be reached it says so as the dashboard does — a
 * calm banner, "Offline since" the time the host last heard it — and the
 * "behind for" times stop there: whether a screen caught up since cannot
 * be known. D (or the button) opens the diagnostics panel.
 *
 * Page contract (tests): `[data-screen]` per screen with `data-status`, and
 * in it `[data-publication]` rows with `data-version` and `data-receipt`
 * (`accepted`, `rejected`, `waiting`, `refused`);
 * `.fleet-top[data-connection="offline" | "answering" | "unknown"]`.
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
    <header class="fleet-top" data-connection="unknown">
      <div class="fleet-heading">
        <h1>Screens</h1>
        <button type="button" class="button" data-action="diagnostics" aria-keyshortcuts="D">Diagnostics</button>
      </div>
      <p class="fleet-source"></p>
      <section class="banner fleet-banner" aria-labelledby="fleet-banner-title" hidden>
        <h2 id="fleet-banner-title" class="banner-title"></h2>
        <p class="banner-detail"></p>
      </section>
      <p class="fleet-summary" role="status" aria-live="polite">Waiting for the server…</p>
    </header>
    <main class="fleet-screens" aria-label="Screens and what they show"></main>
    <footer class="fleet-bottom"><p class="fleet-updated"></p><p>Press <kbd>D</kbd> for diagnostics</p></footer>`;
  const $ = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  $(".fleet-source").textContent = `${options.source.device || "this server"} · ${new URL(options.source.server).host}`;
  const main = $(".fleet-screens");
  let publications: readonly Publication[] = [];
  let screens: FleetScreen[] = [];
  let updatedAt: number | undefined;
  let refused = refusedIdsOf(options.client.diagnostics);
  const banner = $(".fleet-banner");
  // Offline with no time from the host (it never heard the server): counters stop when this page saw it.
  let offlineSeenAt: number | undefined;

  const diagnostics = createDiagnosticsPanel({
    client: options.client,
    cards: new Map<string, PublicationCard>(),
    time,
    pageBuild: pageBuild(import.meta.url),
    persistAnswer: () => undefined,
    availability: () => offlineAvailability(readPageFacts(options.client.diagnostics.workerProblem)),
  });
  document.body.append(diagnostics.element);
  $('[data-action="diagnostics"]').addEventListener("click", () => diagnostics.open());
  openOnDiagnosticsKey(() => diagnostics.open());

  let renderedKey = "";
  const render = () => {
    const now = Date.now();
    const measured = contactStatus(options.client.diagnostics.serverContact, navigator.onLine);
    offlineSeenAt = measured.kind === "offline" ? (offlineSeenAt ?? now) : undefined;
    const contact: ContactStatus = measured.kind === "offline" ? { kind: "offline", since: measured.since ?? offlineSeenAt } : measured;
    const { offline, asOf } = fleetAsOf(contact, now);
    $(".fleet-top").dataset.connection = contact.kind;
    banner.hidden = !offline;
    if (offline) {
      $(".banner-title").textContent = `Offline since ${time.clock(asOf, now)}`;
      $(".banner-detail").textContent = `Showing what the server said then (${time.relative(asOf, now)}). Whether a screen has caught up since cannot be known until the server answers again.`;
    }
    const summary = updatedAt === undefined ? (offline ? "Nothing heard from the server yet" : "Waiting for the server…") : fleetSummary(screens);
    $(".fleet-summary").textContent = offline && updatedAt !== undefined ? `As of ${time.clock(asOf, now)}: ${summary}` : summary;
    $(".fleet-updated").textContent = updatedAt === undefined ? "" : `Last change seen ${time.clock(updatedAt, now)} · times in your local time`;
    // Rebuilt only when what it says changes: a frozen view must not churn (or lose a selection) every second.
    const cards = screens.length === 0 && updatedAt !== undefined ? [empty()] : screens.map((s) => screenCard(s, asOf, now, offline, time));
    const key = cards.map((card) => card.outerHTML).join("");
    if (key !== renderedKey) {
      renderedKey = key;
      main.replaceChildren(...cards);
    }
    if (diagnostics.isOpen()) diagnostics.refresh(now);
  };
  options.client.watchDevice((latest: readonly Publication[]) => {
    publications = latest;
    screens = fleetOf(publications, refused);
    updatedAt = Date.now();
    render();
  });
  render();
  // The "behind for" times move on by themselves (while the server answers), and the banner follows the connection.
  setInterval(render, 1_000);
  addEventListener("online", render);
  addEventListener("offline", render);
  // The host's word on refused receipts comes apart from the device's publications: looked at every second (cheap), drawn when it changes.
  setInterval(() => {
    const next = refusedIdsOf(options.client.diagnostics);
    if (sameSet(next, refused)) return;
    refused = next;
    screens = fleetOf(publications, refused);
    if (updatedAt !== undefined) render();
  }, 1_000);
}

/** `asOf`: up to when durations count (now, or when the server was last heard); `offline`: they stopped there. */
function screenCard(screen: FleetScreen, asOf: number, now: number, offline: boolean, time: TimeFormat): HTMLElement {
  const section = el("section", "fleet-screen");
  section.dataset.screen = screen.name;
  section.dataset.status = screen.status;
  const head = el("h2", "fleet-screen-name", screen.name);
  const status = el("p", "fleet-screen-status", statusText(screen, asOf, offline));
  const table = el("table", "fleet-table");
  table.innerHTML = `<thead><tr><th scope="col">Publication</th><th scope="col">Version</th><th scope="col">Published</th><th scope="col">This screen</th></tr></thead>`;
  const body = el("tbody", "");
  for (const entry of screen.entries) body.append(entryRow(entry, asOf, now, offline, time));
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

function statusText(screen: FleetScreen, asOf: number, offline: boolean): string {
  switch (screen.status) {
    case "up-to-date":
      return "Shows the latest of everything";
    case "rejecting":
      return "Cannot show something it was sent";
    case "refused":
      return "Its sign-in may not send receipts: what it shows is not known";
    case "behind":
      return screen.behindSinceMs === undefined ? "Has not confirmed the latest" : `Behind for ${durationText(asOf - screen.behindSinceMs)}${offline ? " when last heard" : ""}`;
  }
}

function entryRow(entry: FleetEntry, asOf: number, now: number, offline: boolean, time: TimeFormat): HTMLTableRowElement {
  const row = document.createElement("tr");
  row.dataset.publication = entry.id;
  row.dataset.version = entry.version;
  row.dataset.receipt = entry.receipt;
  const published = entry.publishTimeMs === undefined ? "—" : time.clock(entry.publishTimeMs, now);
  const receipt = receiptText(entry, asOf, now, offline, time);
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

/** `asOf`, `offline`: as for {@link screenCard}. */
function receiptText(entry: FleetEntry, asOf: number, now: number, offline: boolean, time: TimeFormat): string {
  switch (entry.receipt) {
    case "accepted":
      return `Accepted${entry.receiptTimeMs === undefined ? "" : ` at ${time.clock(entry.receiptTimeMs, now)}`}`;
    case "rejected":
      return `Rejected: ${entry.reason ?? "no reason given"}`;
    case "refused":
      return "Receipts refused by the server's policy";
    case "waiting":
      return entry.publishTimeMs === undefined
        ? "No signal yet"
        : `No signal yet · behind for ${durationText(asOf - entry.publishTimeMs)}${offline ? " when last heard" : ""}`;
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
