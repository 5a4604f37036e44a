import { expect, type BrowserContext, type Page } from "@playwright/test";
import { Code, ConnectError } from "@connectrpc/connect";
import { clientCredentialsBearer } from "../../src/server/idp/client-credentials-bearer.js";
import { publicationClient } from "../../src/server/testing/test-server.js";
import { appUrl, type AppQuery } from "./app-page.js";
import type { DevServer } from "./dev-server.js";

/** The app's URL with the device-flow sign-in against `server`'s development identity provider (URL parameters, see src/app/auth-setup.ts). */
export function signInAppUrl(server: DevServer, query: Omit<AppQuery, "server">): string {
  const realm = `${server.url}/realms/smartcore/protocol/openid-connect`;
  const auth = new URLSearchParams({ auth: "device", clientId: "dashboard", deviceUrl: `${realm}/auth/device`, tokenUrl: `${realm}/token` });
  return `${appUrl({ ...query, server: server.url })}&${auth}`;
}

/** The sign-in panel and its parts (src/dashboard/sign-in-panel.ts). */
export function signInPanel(page: Page) {
  const panel = page.locator("[data-auth-panel]");
  return {
    panel,
    code: panel.locator('[data-sign-in="code"]'),
    uri: panel.locator('[data-sign-in="uri"]'),
    qr: panel.locator('[data-sign-in="qr"]'),
  };
}

/** Waits for the page's code and approves it through the identity provider's `/auth/approve` (as `user`). Returns the code. */
export async function approveShownCode(page: Page, server: DevServer, user = "admin"): Promise<string> {
  const { panel, code } = signInPanel(page);
  await expect(panel).toHaveAttribute("data-kind", "code");
  const userCode = (await code.textContent())!;
  const response = await fetch(`${server.url}/auth/approve?${new URLSearchParams({ user_code: userCode, user })}`, { method: "POST" });
  expect(response.status, `approving ${userCode}`).toBe(200);
  return userCode;
}

/** `GET /auth/stats` of the development identity provider. */
type GrantCounts = Record<"device_code" | "refresh_token" | "password" | "client_credentials" | "other", number>;

export async function authStats(server: DevServer): Promise<{
  tokenRequests: GrantCounts;
  tokenErrors: GrantCounts;
  deviceAuthorizations: { started: number; pending: number };
}> {
  return (await (await fetch(`${server.url}/auth/stats`)).json()) as never;
}

/**
 * Every secret the identity provider hands the browser context — access
 * and refresh tokens, device codes — read from the answers as they pass
 * (the page never shows them), so storage scans can look for each.
 */
export function collectIssuedSecrets(context: BrowserContext): { readonly secrets: Set<string>; readonly deviceAnswers: Array<Record<string, unknown>> } {
  const secrets = new Set<string>();
  const deviceAnswers: Array<Record<string, unknown>> = [];
  context.on("response", (response) => {
    const url = response.url();
    if (!/\/protocol\/openid-connect\/(token|auth\/device)$|\/oauth2\/token$/.test(url) || response.request().method() !== "POST") return;
    void response.json().then(
      (body: Record<string, unknown>) => {
        if (url.endsWith("/auth/device")) deviceAnswers.push(body);
        for (const field of ["access_token", "refresh_token", "device_code"]) if (typeof body[field] === "string") secrets.add(body[field]);
      },
      () => {},
    );
  });
  return { secrets, deviceAnswers };
}

/** Every IndexedDB record of every database, every Cache Storage entry (URL, headers, body), localStorage and sessionStorage of the page's origin, as one string. */
export function everythingStored(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    const text = (value: unknown): string =>
      JSON.stringify(value, (_key, v: unknown) =>
        v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder("latin1").decode(v) : v instanceof CryptoKey ? `CryptoKey(${v.type},${v.extractable})` : v,
      );
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const [keys, values] = await Promise.all(
          ["getAllKeys", "getAll"].map(
            (method) =>
              new Promise<unknown[]>((resolve, reject) => {
                const request = (db.transaction(name).objectStore(name) as unknown as Record<string, () => IDBRequest<unknown[]>>)[method]!();
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
              }),
          ),
        );
        parts.push(`idb ${info.name}/${name}: ${text(keys)} ${text(values)}`);
      }
      db.close();
    }
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        parts.push(request.url, text([...request.headers]));
        const response = await cache.match(request);
        if (response) parts.push(text([...response.headers]), await response.text());
      }
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) parts.push(`${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
    }
    return parts.join("\n");
  });
}

/** Fails if any of `secrets` is stored anywhere the page's origin can store things. */
export async function expectNoSecretStored(page: Page, secrets: Iterable<string>, when: string) {
  const stored = await everythingStored(page);
  expect(stored.length, "the scan reads something").toBeGreaterThan(0);
  const all = [...secrets];
  expect(all.length, "secrets were collected").toBeGreaterThan(0);
  for (const secret of all) expect(stored.includes(secret), `a token stored (${when})`).toBe(false);
}

/**
 * Records, from the first paint on, every `data-state` each card shows
 * (`<id>:<state>@<ms>`) and every kind the sign-in panel takes, in
 * `window.__seenStates` / `window.__seenPanel` (a MutationObserver: what a
 * person could have seen).
 */
export async function recordWhatIsShown(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __seenStates: string[]; __seenPanel: string[] };
    w.__seenStates = [];
    w.__seenPanel = [];
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        const element = m.target as HTMLElement;
        if (m.attributeName === "data-state" && element.dataset.publicationId) {
          w.__seenStates.push(`${element.dataset.publicationId}:${element.dataset.state}@${Date.now()}`);
        }
        if ((m.attributeName === "data-kind" || m.attributeName === "hidden") && element.hasAttribute("data-auth-panel") && !element.hidden) {
          w.__seenPanel.push(element.dataset.kind ?? "");
        }
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state", "data-kind", "hidden"] });
  });
}

export function seen(page: Page): Promise<{ states: string[]; panel: string[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __seenStates: string[]; __seenPanel: string[] };
    return { states: w.__seenStates, panel: w.__seenPanel };
  });
}

/** Publishes as a machine (client credentials, not counted as refreshes): create, or update when it exists. Returns the new version. */
export function machinePublisher(server: DevServer): (id: string, text: string) => Promise<string> {
  const client = publicationClient(server.url, [
    clientCredentialsBearer({ tokenUrl: `${server.url}/oauth2/token`, clientId: "signage-server", clientSecret: "signage-secret" }),
  ]);
  return async (id, text) => {
    const publication = { id, body: new TextEncoder().encode(text), mediaType: "text/plain" };
    try {
      return (await client.createPublication({ name: "", publication })).version;
    } catch (error) {
      if (!(error instanceof ConnectError && error.code === Code.AlreadyExists)) throw error;
      return (await client.updatePublication({ name: "", publication })).version;
    }
  };
}

/** Forgets what {@link recordWhatIsShown} recorded so far (e.g. the sign-in before the part a test checks). */
export function forgetWhatWasShown(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __seenStates: string[]; __seenPanel: string[] };
    w.__seenStates = [];
    w.__seenPanel = [];
  });
}
