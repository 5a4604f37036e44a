import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import type { OpenAuthChannel } from "./auth-channel.js";
import type { AuthLock } from "./auth-lock.js";
import type { RefreshWindow } from "./refresh-schedule.js";
import type { RefreshTokenStore } from "./refresh-token-store.js";
import type { FetchLike } from "./token-endpoint.js";

/** Where and as whom a screen signs in. */
export interface DeviceFlowEndpoints {
  /** The OAuth client the screen is (a public client allowed the device grant), e.g. `"dashboard"`. */
  readonly clientId: string;
  /** RFC 8628 device authorization endpoint, e.g. `https://kc.example/realms/smartcore/protocol/openid-connect/auth/device`. */
  readonly deviceUrl: string;
  /** Token endpoint, e.g. `https://kc.example/realms/smartcore/protocol/openid-connect/token`. */
  readonly tokenUrl: string;
  /** Scope to ask for; default none (the server's default). */
  readonly scope?: string;
}

/** Tuning of the device-flow session; the defaults suit production. */
export interface DeviceFlowTuning {
  /** Publication servers this token is for; `getToken` answers `undefined` for any other. Default: any. */
  readonly servers?: readonly string[];
  /** When in a token's lifetime to renew it. Default 75–85 %. */
  readonly refreshWindow?: RefreshWindow;
  /** How long a tab with a stored sign-in but no access token waits for another tab's before renewing itself. Default 300 ms. */
  readonly peerWaitMs?: number;
  /** How long `getToken` waits for a start-up or a renewal under way. Default 10 s. */
  readonly getTokenWaitMs?: number;
  readonly logger?: Logger;
}

/** The platform pieces the session runs on; the browser's are in `web/`, tests pass fakes. */
export interface DeviceFlowPlatform {
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly lock: AuthLock;
  readonly store: RefreshTokenStore;
  readonly openChannel: OpenAuthChannel;
}
