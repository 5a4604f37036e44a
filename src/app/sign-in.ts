import { deviceFlowAuth, type TokenProvider } from "../entries/auth.js";
import type { PubCacheClient } from "../entries/index.js";
import type { SignInOverlay } from "../dashboard/sign-in-overlay.js";
import { authSourceOf, loadDeviceFlowConfig, type AuthSource } from "./auth-setup.js";

/**
 * The screen's own sign-in, when the deployment configures one (auth-setup.ts):
 * the device flow, kept valid by itself, each new token handed to the cache
 * host. Loaded with `import()` by main.ts.
 */
export async function startSignIn(deps: {
  readonly client: PubCacheClient;
  /** The publication server: the only one the token is handed to. */
  readonly server: string;
  readonly overlay: SignInOverlay;
  readonly onProvider: (provider: TokenProvider) => void;
}): Promise<void> {
  let source: AuthSource;
  try {
    source = authSourceOf(location.search, location.origin);
  } catch (error) {
    console.warn(`sign-in: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const endpoints = await loadDeviceFlowConfig(
    source,
    async (url) => {
      const response = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store", credentials: "same-origin" });
      return { status: response.status, text: await response.text() };
    },
    (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    (message) => console.warn(`sign-in: ${message}`),
  );
  if (!endpoints) return;
  const auth = deviceFlowAuth({ ...endpoints, servers: [deps.server] });
  deps.onProvider(auth);
  // Every new access token (the sign-in, each renewal) goes to the cache host before the old one expires.
  auth.subscribe((state) => {
    if (state.kind === "signed-in") void deps.client.credentialsChanged();
  });
  deps.overlay.attach(auth);
  auth.start();
}
