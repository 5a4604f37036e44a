import type { PubCacheClient } from "../entries/index.js";
import { createAppShell } from "./app-shell.js";
import { watchAppUpdates } from "./app-update.js";
import { createDiagnosticsPanel } from "./diagnostics-panel.js";
import { createInstallHint } from "./install-hint.js";
import { createJsonParser } from "./json/json-parser.js";
import { startScreenLayout } from "./layout/screen-layout.js";
import { offlineAvailability, readPageFacts } from "./offline-availability.js";
import { createOfflineNote } from "./offline-note.js";
import { createPublicationCard, type PublicationCard } from "./publication-card.js";
import { describeScreen, summarizeScreen, type ScreenStatus } from "./screen-status.js";
import { fallbackTitle } from "./screen-title.js";
import { requestPersistentStorage } from "./storage-info.js";
import { createTimeFormat } from "./time-format.js";
import { titleFor } from "./titles.js";
import { pageBuild } from "./worker-info.js";
import "./dashboard.css";

export interface DashboardOptions {
  readonly client: PubCacheClient;
  readonly ids: readonly string[];
  /** How long nobody must touch the screen before a new build restarts it. Default one minute. */
  readonly updateIdleMs?: number;
  /** How long each screen page (and each part of a long card) stays. Default 20 s. */
  readonly pageMs?: number;
  /**
   * True while this screen's own sign-in waits for a person (a code shown,
   * or one being fetched) and holds no token: the header and the cards say
   * "Sign-in needed" from the first moment, not "Connecting…" until the
   * server refuses a call. Default: never.
   */
  readonly signInNeeded?: () => boolean;
  /** Calls `listener` whenever the answer of {@link signInNeeded} may have changed, so the screen says so at once. */
  readonly onSignInChange?: (listener: () => void) => void;
  /** For the header when no publication names the building: the device and the server. */
  readonly source?: { readonly device: string; readonly server: string };
}

/** A running dashboard: what a screen's configuration (screen-config/) may change without a reload. */
export interface Dashboard {
  /** Shows these publications from now on, in this order (cards of other ids go, new ones are made). */
  show(ids: readonly string[]): void;
  /** Header, paging and layout hints; `undefined` fields take their defaults. */
  configure(settings: DashboardSettings): void;
}

export interface DashboardSettings {
  /** The header's title, instead of the building a publication names. */
  readonly title?: string | undefined;
  /** The header's second line, instead of the building's address. */
  readonly location?: string | undefined;
  readonly pageMs?: number | undefined;
  readonly partMs?: number | undefined;
  readonly columns?: number | undefined;
  /** `light` or `dark` whatever the device prefers; `auto` (default) follows it. */
  readonly theme?: "light" | "dark" | "auto" | undefined;
}

/**
 * The kiosk dashboard: one card per publication, fitted to the screen and
 * paged on a calm timer (layout/), a header with the building, the clock
 * and the screen's freshness, a calm banner when offline, a polite live
 * region for changes, the diagnostics panel (D), the update prompt, in
 * Safari outside an installed app a hint to add it to the Home Screen, and
 * one line when the screen cannot start offline because it is on plain http
 * or the device does not trust the site's certificate.
 * Everything time-dependent is re-worded once a second from one timer.
 */
export function startDashboard(options: DashboardOptions): Dashboard {
  const { client } = options;
  let ids = [...options.ids];
  let settings: DashboardSettings = { pageMs: options.pageMs };
  const time = createTimeFormat();
  const shell = createAppShell(time);
  const cards = new Map<string, PublicationCard>();
  let persistAnswer: boolean | undefined | "pending" = "pending";
  void requestPersistentStorage().then((answer) => void (persistAnswer = answer));

  // Read again every second: a registration fails (a certificate the device does not trust) a while after start-up.
  const availability = () => offlineAvailability(readPageFacts(client.diagnostics.workerProblem));
  const diagnostics = createDiagnosticsPanel({
    client,
    cards,
    time,
    pageBuild: pageBuild(import.meta.url),
    persistAnswer: () => persistAnswer,
    availability,
  });
  const updates = watchAppUpdates({
    isBusy: () => diagnostics.isOpen(),
    onReady: () => shell.announce("A new version of this dashboard is ready."),
    ...(options.updateIdleMs !== undefined && { idleMs: options.updateIdleMs }),
  });
  shell.mount(diagnostics.element, updates.element);
  shell.onDiagnostics(() => diagnostics.open());

  const json = createJsonParser();
  let headerSite = "";
  // The configured title and location win; else the building a publication names; else where the data comes from.
  const showHeader = () => {
    const site = [...cards.values()].map((card) => card.site()).find((s) => s !== undefined);
    const fallback = fallbackTitle({ device: options.source?.device ?? "", server: options.source?.server ?? location.origin, publications: ids.length });
    const name = settings.title ?? site?.name ?? fallback.name;
    const address = settings.location ?? (site ? site.address : settings.title === undefined ? fallback.detail : undefined);
    const key = JSON.stringify([name, address ?? null]);
    if (key === headerSite) return;
    headerSite = key;
    shell.showSite(name, address);
  };
  showHeader();
  let onChange = () => {};
  const unsubscribes = new Map<string, () => void>();
  const addCard = (id: string) => {
    const card = createPublicationCard({
      id,
      title: titleFor(id),
      time,
      json,
      onChange: () => onChange(),
      // Receipts: the card knows when a body is really on screen, or cannot be.
      onShown: (version, receipt, reason) => client.acknowledge(id, receipt, { version, ...(reason !== undefined && { reason }) }),
    });
    cards.set(id, card);
    return card;
  };
  for (const id of ids) shell.cards.append(addCard(id).element);
  // Safari outside an installed app: a short, dismissible line below the cards (layout measures around it).
  const installHint = createInstallHint();
  if (installHint) shell.cards.after(installHint);
  // Plain http or an untrusted certificate: one line above the footer, also in the flow.
  const offlineNote = createOfflineNote();
  (installHint ?? shell.cards).after(offlineNote.element);
  const layoutSettings = () => ({
    ...(settings.pageMs !== undefined && { pageMs: settings.pageMs }),
    ...(settings.partMs !== undefined && { partMs: settings.partMs }),
    ...(settings.columns !== undefined && { columns: settings.columns }),
  });
  const layout = startScreenLayout({ main: shell.cards, cards: [...cards.values()], indicator: shell.pageIndicator, ...layoutSettings() });
  onChange = () => {
    layout.invalidate();
    layout.check();
    showHeader();
  };
  const follow = (id: string, card: PublicationCard) => {
    unsubscribes.set(
      id,
      client.subscribe(id, (update) => {
        card.render(update);
        refreshSoon();
      }),
    );
  };
  for (const [id, card] of cards) follow(id, card);

  let status: ScreenStatus | undefined;
  // A server's publications change state together but arrive one by one: the screen is
  // re-worded once per frame (before it is painted), not once per publication.
  let refreshFrame = 0;
  function refreshSoon() {
    if (document.hidden) refresh();
    else if (refreshFrame === 0) refreshFrame = requestAnimationFrame(refresh);
  }
  function refresh() {
    if (refreshFrame !== 0) cancelAnimationFrame(refreshFrame);
    refreshFrame = 0;
    const now = Date.now();
    const signInNeeded = options.signInNeeded?.() ?? false;
    status = summarizeScreen(status, [...cards.values()].map((card) => card.shown()), navigator.onLine, now, client.diagnostics.serverContact);
    // Not yet refused, but it will be: nothing reaches a screen that is not signed in.
    if (signInNeeded && status.kind === "connecting") status = { ...status, kind: "needs-auth" };
    shell.showScreen(status.kind, describeScreen(status, now, time), now);
    offlineNote.show(availability());
    for (const card of cards.values()) card.refresh(now, { kind: status.kind, offlineSince: status.since, settling: status.settling, signInNeeded });
    layout.check();
    if (diagnostics.isOpen()) diagnostics.refresh(now);
    updates.check(now);
  }
  refresh();
  setInterval(refresh, 1_000);
  // At once, not at the next tick: the panel shows its code in the same task.
  options.onSignInChange?.(refresh);
  addEventListener("online", refresh);
  addEventListener("offline", refresh);

  return {
    show(next) {
      if (next.length === ids.length && next.every((id, i) => id === ids[i])) return;
      ids = [...new Set(next)];
      for (const [id, card] of cards) {
        if (ids.includes(id)) continue;
        unsubscribes.get(id)?.();
        unsubscribes.delete(id);
        cards.delete(id);
        card.element.remove();
      }
      // Appending an element already there moves it: the cards end up in the new order.
      for (const id of ids) {
        const existing = cards.get(id);
        const card = existing ?? addCard(id);
        shell.cards.append(card.element);
        if (!existing) follow(id, card);
      }
      layout.setCards(ids.map((id) => cards.get(id)!));
      headerSite = "";
      showHeader();
      refreshSoon();
    },
    configure(next) {
      settings = { ...next, pageMs: next.pageMs ?? options.pageMs };
      document.documentElement.dataset.theme = settings.theme ?? "auto";
      layout.configure(layoutSettings());
      showHeader();
    },
  };
}
