import { silentLogger } from "../../core/logger.js";
import { systemClock } from "../../platform/system-clock.js";
import { systemRandom } from "../../platform/system-random.js";
import { checkDeviceFlowEndpoints } from "../auth-config.js";
import type { TokenProvider } from "../auth-state.js";
import type { DeviceFlowEndpoints, DeviceFlowTuning } from "../device-flow-options.js";
import { createDeviceFlowSession } from "../device-flow-session.js";
import { broadcastAuthChannel } from "./broadcast-auth-channel.js";
import { idbRefreshTokenStore } from "./idb-refresh-token-store.js";
import { webFetch } from "./web-fetch.js";
import { webLock } from "./web-lock.js";

/** Options of {@link deviceFlowAuth}. */
export interface DeviceFlowAuthOptions extends DeviceFlowEndpoints, DeviceFlowTuning {
  /** IndexedDB database for the wrapped refresh token. Default `pubcache-auth`. */
  readonly databaseName?: string;
}

/**
 * A screen that signs itself in with the OAuth 2.0 Device Authorization
 * Grant (RFC 8628) and stays signed in: shows a code (state
 * `waiting-for-user`) until a person approves it, then renews its access
 * token ahead of expiry, one tab at a time (a Web Lock), sharing each new
 * token with the origin's other tabs (a BroadcastChannel). The access token
 * lives in memory only; the refresh token survives a restart in IndexedDB
 * (`pubcache-auth`), encrypted with a non-extractable AES-GCM key.
 *
 * ```ts
 * const auth = deviceFlowAuth({ clientId: "dashboard", deviceUrl, tokenUrl, servers: [server] });
 * const client = createPubCacheClient({ server, device, getToken: auth.getToken });
 * auth.subscribe((state) => { if (state.kind === "signed-in") void client.credentialsChanged(); });
 * auth.start();
 * ```
 *
 * Throws an `AuthConfigError` for an empty client id or a URL that is not http(s).
 */
export function deviceFlowAuth(options: DeviceFlowAuthOptions): TokenProvider {
  const endpoints = checkDeviceFlowEndpoints(options);
  const logger = options.logger ?? silentLogger;
  // Names the sign-in (not secret): tabs of the same identity provider and client share it.
  const signInId = `${endpoints.tokenUrl}#${endpoints.clientId}`;
  return createDeviceFlowSession(
    endpoints,
    {
      fetch: webFetch,
      clock: systemClock,
      random: systemRandom,
      lock: webLock(`pubcache-auth:${signInId}`, globalThis.navigator?.locks, logger),
      store: idbRefreshTokenStore({ signInId, ...(options.databaseName && { databaseName: options.databaseName }), logger }),
      openChannel: broadcastAuthChannel(`pubcache-auth:${signInId}`),
    },
    options,
  );
}
