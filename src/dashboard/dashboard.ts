import type { PubCacheClient } from "../entries/index.js";
import { createAppShell } from "./app-shell.js";
import { watchAppUpdates } from "./app-update.js";
import { createDiagnosticsPanel } from "./diagnostics-panel.js";
import { mediaKindOf } from "./media-body.js";
import { createPublicationCard, type PublicationCard } from "./publication-card.js";
import { describeScreen, summarizeScreen, type ScreenStatus } from "./screen-status.js";
import { requestPersistentStorage } from "./storage-info.js";
import { createTimeFormat } from "./time-format.js";
import { siteOf, titleFor } from "./titles.js";
import { pageBuild } from "./worker-info.js";
import "./dashboard.css";

export interface DashboardOptions {
  readonly client: PubCacheClient;
  readonly ids: readonly string[];
  /** How long nobody must touch the screen before a new build restarts it. Default one minute. */
  readonly updateIdleMs?: number;
}

/**
 * The kiosk dashboard: one card per publication, a header with the building,
 * the clock and the screen's freshness, a calm banner when offline, a polite
 * live region for changes, the diagnostics panel (D) and the update prompt.
 * Everything time-dependent is re-worded once a second from one timer.
 */
export function startDashboard(options: DashboardOptions): void {
  const { client, ids } = options;
  const time = createTimeFormat();
  const shell = createAppShell();
  const cards = new Map<string, PublicationCard>();
  let persistAnswer: boolean | undefined | "pending" = "pending";
  void requestPersistentStorage().then((answer) => void (persistAnswer = answer));

  const diagnostics = createDiagnosticsPanel({
    client,
    cards,
    time,
    pageBuild: pageBuild(import.meta.url),
    persistAnswer: () => persistAnswer,
  });
  const updates = watchAppUpdates({
    isBusy: () => diagnostics.isOpen(),
    onReady: () => shell.announce("A new version of this dashboard is ready."),
    ...(options.updateIdleMs !== undefined && { idleMs: options.updateIdleMs }),
  });
  shell.mount(diagnostics.element, updates.element);
  shell.onDiagnostics(() => diagnostics.open());

  for (const id of ids) {
    const card = createPublicationCard(id, titleFor(id), time);
    cards.set(id, card);
    shell.cards.append(card.element);
    client.subscribe(id, (update) => {
      card.render(update);
      const publication = update.value?.publication;
      if (publication && mediaKindOf(publication.mediaType) === "json") {
        const site = siteOf(new TextDecoder().decode(publication.body));
        if (site) shell.showSite(site.name, site.address);
      }
      refresh();
    });
  }

  let status: ScreenStatus | undefined;
  function refresh() {
    const now = Date.now();
    status = summarizeScreen(status, [...cards.values()].map((card) => card.shown()), navigator.onLine, now);
    shell.showScreen(status.kind, describeScreen(status, now, time), now);
    for (const card of cards.values()) card.refresh(now, status.since);
    if (diagnostics.isOpen()) diagnostics.refresh(now);
    updates.check(now);
  }
  refresh();
  setInterval(refresh, 1_000);
  addEventListener("online", refresh);
  addEventListener("offline", refresh);
}
