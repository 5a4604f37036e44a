import { timingSafeEqual } from "node:crypto";

/** The grants a client may use, by short name (the device grant's wire name is a URN). */
export type GrantName = "device_code" | "refresh_token" | "password" | "client_credentials";

/** A person who signs in with the password grant or approves a device on the verification page. */
export interface UserAccount {
  readonly username: string;
  readonly password: string;
  /** Put in the access token's `roles` claim; the publication API needs one of `allowedRoles`. */
  readonly roles: readonly string[];
}

/** An OAuth client: public (no secret, e.g. a dashboard screen) or confidential (a machine with a secret). */
export interface ClientAccount {
  readonly clientId: string;
  /** Unset: a public client, identified by `client_id` alone. */
  readonly secret?: string;
  readonly grants: readonly GrantName[];
  /** The roles of the client's own tokens (client_credentials grant). */
  readonly roles?: readonly string[];
}

/** The publication API accepts every call from tokens holding one of these roles (by default). */
export const DEFAULT_ALLOWED_ROLES: readonly string[] = ["admin", "signage"];

/**
 * Tokens holding one of these roles (and none of the allowed ones) may only
 * read: Get*, List*, Pull*, Describe* (by default), as `trait:read` in Smart
 * Core BOS's default policy; AcknowledgePublication is a write.
 */
export const DEFAULT_READ_ONLY_ROLES: readonly string[] = ["viewer"];

/**
 * Development accounts, documented in the server README: `admin`/`admin` may
 * use the publication API; `denied`/`denied` signs in fine but every RPC
 * answers PERMISSION_DENIED (no allowed role); `viewer`/`viewer` may read
 * (Get, List, Pull) but not write or acknowledge (PERMISSION_DENIED), as a
 * kiosk signed in as a viewer or operator meets on a real site.
 */
export const DEFAULT_USERS: readonly UserAccount[] = [
  { username: "admin", password: "admin", roles: ["admin"] },
  { username: "denied", password: "denied", roles: [] },
  { username: "viewer", password: "viewer", roles: ["viewer"] },
];

/**
 * `dashboard`: a public client for screens (device flow, refresh, password).
 * `signage-server`/`signage-secret`: a confidential machine client (client credentials).
 */
export const DEFAULT_CLIENTS: readonly ClientAccount[] = [
  { clientId: "dashboard", grants: ["device_code", "refresh_token", "password"] },
  { clientId: "signage-server", secret: "signage-secret", grants: ["client_credentials"], roles: ["signage"] },
];

/** The default machine client (`signage-server`), e.g. for the demo's announcement ticker. */
export const DEFAULT_MACHINE_CLIENT = DEFAULT_CLIENTS[1] as ClientAccount & { readonly secret: string };

/** Users and clients, looked up by name; secrets compared in constant time. */
export class Accounts {
  readonly #users: ReadonlyMap<string, UserAccount>;
  readonly #clients: ReadonlyMap<string, ClientAccount>;

  constructor(users: readonly UserAccount[], clients: readonly ClientAccount[]) {
    this.#users = new Map(users.map((user) => [user.username, user]));
    this.#clients = new Map(clients.map((client) => [client.clientId, client]));
  }

  /** Every username, in the configured order (the verification page offers them). */
  usernames(): string[] {
    return [...this.#users.keys()];
  }

  user(username: string): UserAccount | undefined {
    return this.#users.get(username);
  }

  client(clientId: string): ClientAccount | undefined {
    return this.#clients.get(clientId);
  }

  /** The user whose name and password match, else undefined. */
  checkPassword(username: string, password: string): UserAccount | undefined {
    const user = this.#users.get(username);
    return user !== undefined && sameSecret(user.password, password) ? user : undefined;
  }
}

/** Constant-time comparison, so a wrong secret's answer time says nothing about the right one. */
export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
