/** What the install hint decides on; read from the browser by {@link readInstallContext}. */
export interface InstallContext {
  readonly userAgent: string;
  /** iOS Safari's own flag: `true` when started from the Home Screen; absent elsewhere. */
  readonly standalone: boolean | undefined;
  /** The page runs as an installed app: `(display-mode: standalone)` or `fullscreen` matches. */
  readonly installedDisplayMode: boolean;
}

/**
 * Whether to suggest adding the dashboard to the Home Screen: only in
 * WebKit browsers — Safari, and every iOS browser, which all run on WebKit —
 * and only when the page is not running as an installed app. WebKit deletes
 * all script-writable storage (IndexedDB, Cache Storage) of a site after 7
 * days of use without interaction with it, which a wall screen nobody
 * touches meets; apps added to the Home Screen are exempt. Chromium
 * browsers (whose user agents also say "AppleWebKit" and "Safari") and
 * Firefox on the desktop have no such cap.
 */
export function needsInstallHint(context: InstallContext): boolean {
  if (context.standalone === true || context.installedDisplayMode) return false;
  const ua = context.userAgent;
  if (!/AppleWebKit\//.test(ua) || /Android/.test(ua)) return false;
  const iOS = /\b(iPhone|iPad|iPod)\b/.test(ua) || /\b(CriOS|FxiOS|EdgiOS)\//.test(ua);
  // Blink's user agents carry "Chrome/" (Chrome, Edge, Opera, Samsung Internet…); on iOS even Chrome is WebKit.
  return iOS || (!/\b(Chrome|Chromium|HeadlessChrome|Edg|OPR)\//.test(ua) && /\bVersion\/[\d.]+.*Safari\//.test(ua));
}

/** The browser's answers for {@link needsInstallHint}. */
export function readInstallContext(): InstallContext {
  const matches = (query: string) => globalThis.matchMedia?.(query).matches ?? false;
  return {
    userAgent: navigator.userAgent,
    standalone: (navigator as Navigator & { standalone?: boolean }).standalone,
    installedDisplayMode: matches("(display-mode: standalone)") || matches("(display-mode: fullscreen)"),
  };
}

const DISMISSED_KEY = "pubcache-dashboard:install-hint-dismissed";

/**
 * The hint itself: one short line between the cards and the footer, in the
 * page's flow (the layout measures around it, so it never covers data),
 * with a Dismiss button. Dismissed is remembered in localStorage — which the
 * same 7-day wipe would clear, bringing the hint back when it matters again.
 * `undefined` when no hint is needed.
 */
export function createInstallHint(context: InstallContext = readInstallContext()): HTMLElement | undefined {
  if (!needsInstallHint(context) || dismissed()) return undefined;
  const element = document.createElement("aside");
  element.className = "install-hint";
  element.setAttribute("aria-label", "Keep this dashboard's offline data");
  element.innerHTML = `<p>Safari deletes a site's offline data after 7 days without a touch. Add this dashboard to the Home Screen (Share, then Add to Home Screen) to keep it.</p>
    <button type="button" class="button">Dismiss</button>`;
  element.querySelector("button")!.addEventListener("click", () => {
    element.remove();
    try {
      localStorage.setItem(DISMISSED_KEY, String(Date.now()));
    } catch {
      // Storage refused (private mode): dismissed for this page's life only.
    }
  });
  return element;
}

function dismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) !== null;
  } catch {
    return false;
  }
}
