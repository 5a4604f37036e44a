import type { TokenProvider } from "../entries/auth.js";
import type { PubCacheClient } from "../entries/index.js";
import { createSignInPanel } from "./sign-in-panel.js";
import { signInView } from "./sign-in-view.js";
import { createTimeFormat } from "./time-format.js";
import { titleFor } from "./titles.js";

export interface SignInOverlay {
  /** Mount it once (e.g. `document.body.append(overlay.element)`). */
  readonly element: HTMLElement;
  /** The screen's sign-in, once known (it may come later: the config is fetched). */
  attach(auth: TokenProvider): void;
}

/**
 * Keeps the sign-in panel in step with the sign-in state and with the
 * publications the server refuses (PERMISSION_DENIED), re-worded once a
 * second for its countdowns. It only adds a panel over the dashboard.
 */
export function createSignInOverlay(deps: { readonly client: PubCacheClient; readonly ids: readonly string[] }): SignInOverlay {
  const panel = createSignInPanel();
  const time = createTimeFormat();
  const denied = new Set<string>();
  let auth: TokenProvider | undefined;

  const refresh = () => {
    const titles = deps.ids.filter((id) => denied.has(id)).map(titleFor);
    panel.render(signInView(auth?.state, titles, Date.now(), time));
  };
  for (const id of deps.ids) {
    deps.client.subscribe(id, ({ state }) => {
      // Sticky between attempts (connecting, retrying): only an answer from the server changes it.
      const refused = state.kind === "needs-auth" && state.lastError.code === "permission_denied";
      const answered = refused || state.kind === "live" || state.kind === "polling" || state.kind === "needs-auth" || state.kind === "removed";
      if (!answered || refused === denied.has(id)) return;
      if (refused) denied.add(id);
      else denied.delete(id);
      refresh();
    });
  }
  setInterval(refresh, 1_000);
  refresh();

  return {
    element: panel.element,
    attach(provider) {
      auth = provider;
      provider.subscribe(refresh);
      refresh();
    },
  };
}
