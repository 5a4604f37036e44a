import { DEFAULT_CLIENTS, DEFAULT_MACHINE_CLIENT, DEFAULT_USERS } from "./accounts.js";
import { identityProviderEndpoints } from "./endpoints.js";
import type { IdentityProviderOptions } from "./identity-provider.js";

/**
 * What `npm start -- --auth` and `npm run server -- --auth` print: where the
 * endpoints are, how a person approves a screen's code, and the development
 * accounts (their passwords are printed on purpose: they are the documented
 * defaults, not secrets; configured accounts are not listed).
 */
export function signInInstructions(serverUrl: string, auth: IdentityProviderOptions, caPath?: string): string {
  const ca = caPath === undefined ? "" : ` --ca ${caPath}`;
  const urls = identityProviderEndpoints(serverUrl, auth.realm);
  const row = (label: string, text: string) => `  ${label.padEnd(21)}${text}`;
  const rows = [
    row("sign-in (--auth):", "every call needs a bearer token from this server's identity provider"),
    row("device sign-in:", urls.deviceAuthorization),
    row("token endpoint:", `${urls.token}  (or ${urls.oauth2Token})`),
    row("approve a code:", `open ${urls.verification}`),
    row("", `or: npm run auth:approve -- --server ${serverUrl}${ca} --code <CODE>`),
  ];
  if (auth.users === undefined && auth.clients === undefined) {
    const users = DEFAULT_USERS.map((user) => `${user.username}/${user.password}`).join(", ");
    rows.push(
      row("accounts:", `${users} (denied: PERMISSION_DENIED; viewer: reads only, no receipts); screens: client ${DEFAULT_CLIENTS[0]!.clientId}`),
      row("", `machines: client ${DEFAULT_MACHINE_CLIENT.clientId}, secret ${DEFAULT_MACHINE_CLIENT.secret}`),
      row("a token by hand:", `curl -s${caPath === undefined ? "" : ` --cacert ${caPath}`} -d grant_type=password -d username=admin -d password=admin ${urls.oauth2Token}`),
      row("", "then: npm run pub -- --token <access_token> …   (or --client, as printed above)"),
    );
  }
  rows.push(row("lifetimes:", `access tokens ${auth.accessTtlS ?? 300} s, refresh tokens ${auth.refreshTtlS ?? 1800} s`));
  return rows.join("\n");
}
