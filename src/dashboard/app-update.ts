import { decideUpdate, UPDATE_IDLE_MS } from "./update-policy.js";

const RELOADED_AT_KEY = "pubcache-dashboard:auto-reloaded-at";
/** A wall display never navigates, so the browser would never look for a new worker by itself. */
const UPDATE_CHECK_MS = 30 * 60_000;

export interface AppUpdates {
  /** The prompt, to place in the page (hidden until a new build is ready). */
  readonly element: HTMLElement;
  /** Applies the policy (update-policy.ts); called every second by the dashboard. */
  check(now: number): void;
}

/**
 * New builds of the dashboard. The client lets a waiting worker take over at
 * once without reloading (src/client/worker-registration.ts); the page then
 * still runs the old build. When a *newer* worker takes control — there was
 * a controller before, so this is not the first install — the dashboard
 * offers "Restart now" and restarts by itself once nobody has touched the
 * screen for a minute and the diagnostics are closed. A tab that restarted
 * itself recently only prompts: no reload loop.
 */
export function watchAppUpdates(deps: { readonly isBusy: () => boolean; readonly idleMs?: number; readonly onReady: () => void }): AppUpdates {
  const element = document.createElement("aside");
  element.className = "update-prompt";
  element.setAttribute("aria-labelledby", "update-title");
  element.hidden = true;
  element.innerHTML = `<p id="update-title">A new version of this dashboard is ready.</p>
    <button type="button" class="button button-primary">Restart now</button>`;
  element.querySelector("button")!.addEventListener("click", () => location.reload());

  const container = globalThis.navigator?.serviceWorker;
  let ready = false;
  let lastInputAt = Date.now();
  if (container) {
    let hadController = container.controller !== null;
    container.addEventListener("controllerchange", () => {
      // The worker was removed (site data cleared): the one registered again is no new version.
      if (container.controller === null) {
        hadController = false;
        return;
      }
      if (hadController && !ready) {
        ready = true;
        deps.onReady();
      }
      hadController = true;
    });
    setInterval(() => {
      void container.getRegistration().then((registration) => registration?.update().catch(() => {}));
    }, UPDATE_CHECK_MS);
  }
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart"]) {
    addEventListener(type, () => void (lastInputAt = Date.now()), { capture: true, passive: true });
  }

  return {
    element,
    check(now) {
      const stored = Number(sessionStorage.getItem(RELOADED_AT_KEY));
      const decision = decideUpdate(
        { ready, now, lastInputAt, busy: deps.isBusy(), lastAutoReloadAt: stored > 0 ? stored : undefined },
        deps.idleMs ?? UPDATE_IDLE_MS,
      );
      element.hidden = decision === "none";
      if (decision === "reload") {
        sessionStorage.setItem(RELOADED_AT_KEY, String(now));
        location.reload();
      }
    },
  };
}
