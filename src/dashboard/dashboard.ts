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
export function startDashboard(options: DashboardOptions): void {
  const { client, ids } = options;
  const time = createTimeFormat();
  const shell = createAppShell();
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
  const fallback = fallbackTitle({ device: options.source?.device ?? "", server: options.source?.server ?? location.origin, publications: ids.length });
  let headerSite = "";
  const showHeader = () => {
    const site = [...cards.values()].map((card) => card.site()).find((s) => s !== undefined);
    const key = site ? JSON.stringify(site) : "fallback";
    if (key === headerSite) return;
    headerSite = key;
    if (site) shell.showSite(site.name, site.address);
    else shell.showSite(fallback.name, fallback.detail);
  };
  showHeader();
  let onChange = () => {};
  for (const id of ids) {
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
    shell.cards.append(card.element);
  }
  // Safari outside an installed app: a short, dismissible line below the cards (layout measures around it).
  const installHint = createInstallHint();
  if (installHint) shell.cards.after(installHint);
  // Plain http or an untrusted certificate: one line above the footer, also in the flow.
  const offlineNote = createOfflineNote();
  (installHint ?? shell.cards).after(offlineNote.element);
  const layout = startScreenLayout({
    main: shell.cards,
    cards: [...cards.values()],
    indicator: shell.pageIndicator,
    ...(options.pageMs !== undefined && { pageMs: options.pageMs }),
  });
  onChange = () => {
    layout.invalidate();
    layout.check();
    showHeader();
  };
  for (const [id, card] of cards) {
    client.subscribe(id, (update) => {
      card.render(update);
      refreshSoon();
    });
  }

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
}
