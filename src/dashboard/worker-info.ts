/**
 * Which service worker serves this screen and which build it carries, read
 * from the page side only: the controller, and the revision Workbox stored
 * for `index.html` in its precache (it changes with every build, since the
 * shell names the hashed assets). The page's own build is the hash in its
 * script's file name.
 */
export interface WorkerInfo {
  readonly supported: boolean;
  /** "activated", "activating"… of the controlling worker; undefined when none controls the page. */
  readonly state: string | undefined;
  readonly scriptUrl: string | undefined;
  /** The precache revision of the app shell, shortened; undefined when not found. */
  readonly build: string | undefined;
}

export async function readWorkerInfo(): Promise<WorkerInfo> {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) return { supported: false, state: undefined, scriptUrl: undefined, build: undefined };
  const controller = container.controller;
  return {
    supported: true,
    state: controller?.state,
    scriptUrl: controller?.scriptURL,
    build: controller ? await precachedShellRevision() : undefined,
  };
}

async function precachedShellRevision(): Promise<string | undefined> {
  if (!globalThis.caches) return undefined;
  try {
    for (const name of await caches.keys()) {
      if (!name.includes("precache")) continue;
      for (const request of await (await caches.open(name)).keys()) {
        const url = new URL(request.url);
        if (url.pathname.endsWith("/index.html")) return url.searchParams.get("__WB_REVISION__")?.slice(0, 8) ?? undefined;
      }
    }
  } catch {
    // Cache Storage can be unavailable (private modes): the panel says "unknown".
  }
  return undefined;
}

/** The hash in this page's script name ("index-Bq3xY8aZ.js" → "Bq3xY8aZ"), or "development". */
export function pageBuild(moduleUrl: string): string {
  return /-([\w-]{6,})\.js$/.exec(new URL(moduleUrl).pathname)?.[1] ?? "development";
}
