/**
 * `pubcache-web/auth` — token providers for `createPubCacheClient({ getToken })`.
 *
 * - `deviceFlowAuth`: a screen signs itself in (OAuth 2.0 device flow, as
 *   Smart Core's signage app does against Keycloak) and stays signed in for
 *   months: renewals ahead of expiry, one tab at a time, the refresh token
 *   encrypted at rest with a non-extractable key.
 * - `passwordAuth`, `clientCredentialsAuth`: Smart Core's `POST /oauth2/token`
 *   grants, renewed ahead of expiry, memory only.
 * - `deviceFlowConfigOf`: the device-flow settings from a Smart Core UI config
 *   document (`/__/scos/config.json`: `auth.deviceFlow`, `auth.keycloak`).
 *
 * What is stored where, and what that protects against: src/auth/README.md.
 *
 * @packageDocumentation
 */
export { deviceFlowAuth, type DeviceFlowAuthOptions } from "../auth/web/device-flow-auth.js";
export { passwordAuth, clientCredentialsAuth, type PasswordAuthOptions, type ClientCredentialsAuthOptions } from "../auth/web/credential-auth.js";
export { deviceFlowConfigOf, AuthConfigError } from "../auth/auth-config.js";
export { SecretStoreUnavailableError } from "../auth/web/idb-refresh-token-store.js";
export type { AuthState, AuthStateKind, AuthProblem, TokenProvider } from "../auth/auth-state.js";
export type { DeviceFlowEndpoints, DeviceFlowTuning } from "../auth/device-flow-options.js";
export type { GrantTuning } from "../auth/grant-session.js";
export type { RefreshWindow } from "../auth/refresh-schedule.js";
export type { Logger } from "../core/logger.js";
