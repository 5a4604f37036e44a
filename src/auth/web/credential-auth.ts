import { systemClock } from "../../platform/system-clock.js";
import { systemRandom } from "../../platform/system-random.js";
import type { TokenProvider } from "../auth-state.js";
import { createGrantSession, type GrantTuning } from "../grant-session.js";
import { webFetch } from "./web-fetch.js";

/** Options of {@link passwordAuth}. */
export interface PasswordAuthOptions extends GrantTuning {
  /** Smart Core's token endpoint, e.g. `https://bms.example/oauth2/token`. */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
  /** OAuth client to sign in as; default none (Smart Core's own endpoint needs none). */
  readonly clientId?: string;
}

/** Options of {@link clientCredentialsAuth}. */
export interface ClientCredentialsAuthOptions extends GrantTuning {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Anyone who can read the code that holds it can use it: for Node and trusted kiosks, never a public web bundle. */
  readonly clientSecret: string;
  readonly scope?: string;
}

/**
 * A person's sign-in with the OAuth password grant on Smart Core's
 * `POST /oauth2/token` (tokens valid 24 h by default there), renewed ahead of
 * expiry with the refresh token when the server gives one, else with the
 * password. Everything — password, tokens — stays in this object's memory;
 * nothing is stored, so each tab or process signs in on its own. A refused
 * password ends it (`signed-out` with the problem), without retrying.
 * Call `start()` to sign in.
 */
export function passwordAuth(options: PasswordAuthOptions): TokenProvider {
  const { tokenUrl, username, password, clientId } = options;
  return createGrantSession((endpoint) => endpoint.password(tokenUrl, username, password, clientId), tokenUrl, clientId, platform(), options);
}

/**
 * A machine's sign-in with the client-credentials grant (tokens valid 15 min
 * by default on Smart Core), asked for again at 75–85 % of each lifetime. The
 * secret travels in the request body (`client_secret_post`). **A secret in a
 * browser bundle is a secret for everyone who loads the page**: use this in
 * Node (fetch is global there) or on a kiosk whose code nobody else can read.
 */
export function clientCredentialsAuth(options: ClientCredentialsAuthOptions): TokenProvider {
  const { tokenUrl, clientId, clientSecret, scope } = options;
  return createGrantSession((endpoint) => endpoint.clientCredentials(tokenUrl, clientId, clientSecret, scope), tokenUrl, clientId, platform(), options);
}

function platform() {
  return { fetch: webFetch, clock: systemClock, random: systemRandom };
}
