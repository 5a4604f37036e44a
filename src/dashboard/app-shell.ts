import { openOnDiagnosticsKey } from "./diagnostics-key.js";
import type { ScreenKind, ScreenText } from "./screen-status.js";
import { createTimeFormat, type TimeFormat } from "./time-format.js";

export interface AppShell {
  /** The `main` landmark the cards go into (id `publications`). */
  readonly cards: HTMLElement;
  /** Where the layout says "Page 2 of 3". */
  readonly pageIndicator: HTMLElement;
  mount(...elements: HTMLElement[]): void;
  onDiagnostics(open: () => void): void;
  /** The header's title and the line below it (the building's address, or where the data comes from). */
  showSite(name: string, address: string | undefined): void;
  showScreen(kind: ScreenKind, text: ScreenText, now: number): void;
  /** Says `message` once through the polite live region. */
  announce(message: string): void;
}

/**
 * The page frame: header (building, clock, screen freshness, full screen and
 * diagnostics buttons), the offline banner, a polite live region, the cards'
 * `main`, and a footer with the keyboard hint and the page indicator. Landmarks: banner, main,
 * contentinfo; the live region is separate from the countdowns so screen
 * readers hear each change once.
 */
export function createAppShell(time: TimeFormat = createTimeFormat()): AppShell {
  const body = document.body;
  body.classList.add("dashboard");
  body.innerHTML = `
    <header class="top">
      <div class="site">
        <h1 class="site-name">Building dashboard</h1>
        <p class="site-address" hidden></p>
      </div>
      <p class="screen-chip" data-kind="connecting"><span class="dot" aria-hidden="true"></span><span class="screen-chip-text">Connecting…</span></p>
      <time class="clock"></time>
      <div class="top-actions">
        <button type="button" class="button" data-action="fullscreen" hidden>Full screen</button>
        <button type="button" class="button" data-action="diagnostics" aria-keyshortcuts="D">Diagnostics</button>
      </div>
    </header>
    <section class="banner" aria-labelledby="banner-title" hidden>
      <h2 id="banner-title" class="banner-title"></h2>
      <p class="banner-detail"></p>
    </section>
    <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-announcer></p>
    <main id="publications" class="cards" aria-label="Building data"></main>
    <footer class="bottom"><p>Press <kbd>D</kbd> for diagnostics · Times in your local time</p><p class="pager" hidden></p></footer>`;
  const $ = <T extends HTMLElement>(selector: string) => body.querySelector<T>(selector)!;
  const chip = $(".screen-chip");
  const banner = $(".banner");
  const announcer = $("[data-announcer]");
  const clock = $<HTMLTimeElement>(".clock");
  // The last screen situation announced; other news (an update) must not make it repeat.
  let announcedScreen: string | undefined;

  const fullscreen = $<HTMLButtonElement>('[data-action="fullscreen"]');
  if (document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", () => {
      if (document.fullscreenElement) void document.exitFullscreen();
      else void document.documentElement.requestFullscreen().catch(() => {});
    });
    document.addEventListener("fullscreenchange", () => {
      fullscreen.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
    });
  }

  function announce(message: string) {
    announcer.textContent = message;
  }

  return {
    cards: $("#publications"),
    pageIndicator: $(".pager"),
    mount: (...elements) => body.append(...elements),
    onDiagnostics(open) {
      $('[data-action="diagnostics"]').addEventListener("click", open);
      openOnDiagnosticsKey(open);
    },
    showSite(name, address) {
      $(".site-name").textContent = name;
      const line = $(".site-address");
      line.textContent = address ?? "";
      line.hidden = !address;
      document.title = name === "Building dashboard" ? name : `${name} — building dashboard`;
    },
    showScreen(kind, text, now) {
      chip.dataset.kind = kind;
      $(".screen-chip-text").textContent = text.chip;
      banner.hidden = text.banner === undefined;
      banner.dataset.kind = kind;
      if (text.banner) {
        $(".banner-title").textContent = text.banner.title;
        $(".banner-detail").textContent = text.banner.detail;
      }
      // The exact times behind the words (tests read them: the words round to the minute).
      setOrRemove(banner, "since", text.banner?.since);
      setOrRemove(banner, "confirmedAt", text.banner?.confirmedAt);
      // "Connecting…" at start-up is not news; every later change is announced once.
      if (text.announcement !== announcedScreen && !(announcedScreen === undefined && kind === "connecting")) {
        announcedScreen = text.announcement;
        announce(text.announcement);
      }
      clock.dateTime = new Date(now).toISOString();
      // The same time style as every other time on the screen (time-format.ts).
      clock.textContent = time.weekdayClock(now);
    },
    announce,
  };
}

function setOrRemove(element: HTMLElement, key: "since" | "confirmedAt", value: number | undefined): void {
  if (value === undefined) delete element.dataset[key];
  else element.dataset[key] = String(value);
}
