import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { MAX_WATCHDOG_EVENTS, type WatchdogEvent } from "../protocol/messages.js";

/** A tab as the worker sees it (a `WindowClient`). */
export interface WatchableTab {
  readonly id: string;
  readonly url: string;
  /** `visibilityState === "visible"`: hidden tabs' timers are throttled, so their silence means nothing. */
  readonly visible: boolean;
}

/** The platform the watchdog acts through: the worker's `clients`. */
export interface WatchdogTabs {
  /** The window tabs of this origin now. */
  list(): Promise<readonly WatchableTab[]>;
  /** Loads the tab's address again (`WindowClient.navigate`). */
  reload(tab: WatchableTab): Promise<void>;
}

/** Where the watchdog's events outlive the worker (Cache Storage in the worker), so its limit holds across restarts. */
export interface WatchdogMemory {
  load(): Promise<readonly WatchdogEvent[]>;
  save(events: readonly WatchdogEvent[]): Promise<void>;
}

export interface TabWatchdogOptions {
  readonly clock: Clock;
  readonly tabs: WatchdogTabs;
  readonly memory?: WatchdogMemory;
  readonly logger: Logger;
  /** Heartbeat periods a visible tab may miss before it is taken as hung. Default 3. */
  readonly missedBeats?: number;
  /** At most one reload of an address per this long. Default 10 minutes. */
  readonly minReloadGapMs?: number;
}

export const DEFAULT_MISSED_BEATS = 3;
export const DEFAULT_MIN_RELOAD_GAP_MS = 10 * 60_000;

interface Watched {
  heartbeatMs: number;
  lastHeardAt: number;
  /** Since when the tab is visible without a break; `undefined` while hidden or not looked at yet. */
  visibleSince: number | undefined;
  /** The silence (its `lastHeardAt`) already acted on: one action per silence. */
  actedOn: number | undefined;
}

/**
 * Notices a tab that stopped answering — its main thread hung, its renderer
 * stalled — and reloads it. Tabs say how often they send heartbeats; a tab
 * that stays visible and silent for `missedBeats` periods is reloaded at its
 * own address, at most once per `minReloadGapMs` per address (a page that
 * hangs at every start would otherwise reload forever): a silence within
 * that time is recorded as held back. Hidden tabs are never judged (their
 * timers are throttled), and silence counts only from when a tab became
 * visible. Checks run on the clock while any tab is watched. Events are
 * kept (`memory`) and reported for diagnostics.
 */
export class TabWatchdog {
  readonly #options: TabWatchdogOptions;
  readonly #watched = new Map<string, Watched>();
  readonly #listeners = new Set<(events: readonly WatchdogEvent[]) => void>();
  #events: WatchdogEvent[] = [];
  #loaded: Promise<void> | undefined;
  #cancelCheck: (() => void) | undefined;
  #checking = false;
  #closed = false;

  constructor(options: TabWatchdogOptions) {
    this.#options = options;
  }

  /** A message from the tab: it answers. With `heartbeatMs` (its heartbeats), the tab is watched from now on. */
  heard(tabId: string, heartbeatMs?: number): void {
    if (this.#closed) return;
    const now = this.#options.clock.now();
    const known = this.#watched.get(tabId);
    if (known) {
      known.lastHeardAt = now;
      if (heartbeatMs !== undefined) known.heartbeatMs = heartbeatMs;
    } else if (heartbeatMs !== undefined) {
      this.#watched.set(tabId, { heartbeatMs, lastHeardAt: now, visibleSince: undefined, actedOn: undefined });
    }
    this.#schedule();
  }

  /** The tab said goodbye: no longer watched. */
  forget(tabId: string): void {
    this.#watched.delete(tabId);
  }

  /** What the watchdog did, newest last (loaded from `memory` once it has been read). */
  events(): readonly WatchdogEvent[] {
    return this.#events;
  }

  /** Calls `listener` after every new event. Returns the function that stops it. */
  onChange(listener: (events: readonly WatchdogEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads what an earlier worker remembered (also done before the first check). */
  load(): Promise<void> {
    this.#loaded ??= (this.#options.memory?.load() ?? Promise.resolve([]))
      .then((remembered) => {
        this.#events = [...remembered, ...this.#events].slice(-MAX_WATCHDOG_EVENTS);
        if (remembered.length > 0) this.#changed();
      })
      .catch((error: unknown) => this.#options.logger.warn("watchdog memory unreadable", { error: String(error) }));
    return this.#loaded;
  }

  /** Stops checking. */
  close(): void {
    this.#closed = true;
    this.#cancelCheck?.();
    this.#watched.clear();
  }

  #schedule(): void {
    if (this.#cancelCheck || this.#closed || this.#watched.size === 0) return;
    const every = Math.min(...[...this.#watched.values()].map((tab) => tab.heartbeatMs));
    this.#cancelCheck = this.#options.clock.setTimer(every, () => {
      this.#cancelCheck = undefined;
      void this.check().finally(() => this.#schedule());
    });
  }

  /** One look at every watched tab (run by the timer; exposed for tests). */
  async check(): Promise<void> {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    try {
      await this.load();
      const tabs = await this.#options.tabs.list();
      const present = new Set(tabs.map((tab) => tab.id));
      for (const id of this.#watched.keys()) if (!present.has(id)) this.#watched.delete(id);
      for (const tab of tabs) await this.#judge(tab);
    } catch (error) {
      this.#options.logger.warn("watchdog check failed", { error: String(error) });
    } finally {
      this.#checking = false;
    }
  }

  async #judge(tab: WatchableTab): Promise<void> {
    const watched = this.#watched.get(tab.id);
    if (!watched) return;
    const now = this.#options.clock.now();
    if (!tab.visible) {
      watched.visibleSince = undefined;
      return;
    }
    watched.visibleSince ??= now;
    const silentMs = now - Math.max(watched.lastHeardAt, watched.visibleSince);
    const limitMs = (this.#options.missedBeats ?? DEFAULT_MISSED_BEATS) * watched.heartbeatMs;
    if (silentMs < limitMs || watched.actedOn === watched.lastHeardAt) return;
    watched.actedOn = watched.lastHeardAt;
    const gapMs = this.#options.minReloadGapMs ?? DEFAULT_MIN_RELOAD_GAP_MS;
    const lastReload = [...this.#events].reverse().find((event) => event.url === tab.url && event.action === "reloaded");
    const held = lastReload !== undefined && now - lastReload.at < gapMs && now >= lastReload.at;
    await this.#record({ url: tab.url, at: now, action: held ? "held-back" : "reloaded", silentMs });
    if (held) {
      this.#options.logger.warn("a tab stopped answering; not reloaded: reloaded less than the limit before", { url: tab.url, silentMs });
      return;
    }
    this.#options.logger.warn("a tab stopped answering: reloading it", { url: tab.url, silentMs });
    // Its successor is a new client: this one is gone once the navigation commits.
    await this.#options.tabs.reload(tab).catch((error: unknown) => this.#options.logger.warn("watchdog reload failed", { url: tab.url, error: String(error) }));
  }

  async #record(event: WatchdogEvent): Promise<void> {
    this.#events = [...this.#events, event].slice(-MAX_WATCHDOG_EVENTS);
    this.#changed();
    // Remembered before acting: a worker stopped mid-reload still knows it reloaded.
    await this.#options.memory?.save(this.#events).catch((error: unknown) => this.#options.logger.warn("watchdog memory unwritable", { error: String(error) }));
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener(this.#events);
  }
}
