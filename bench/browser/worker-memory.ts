import type { Browser, BrowserContext, CDPSession, Page } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly } from "../support/chromium.js";
import { installWorker, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher } from "../support/publisher.js";

const TABS = 3;
const ID = "worker-memory";
const BODY_BYTES = 1_000;
/**
 * The tabs' heartbeat (5 s in production), faster so that the run also
 * covers what page messages cost the worker: ≈ 1,200 heartbeats from the
 * three tabs in a full run, what three screens send in 30 minutes.
 */
const HEARTBEAT_MS = 250;

/**
 * Worker memory: the real service worker's used JS heap after forced
 * garbage collection (CDP on the worker target: HeapProfiler.collectGarbage,
 * Runtime.getHeapUsage) across 2,000 updates of a 1 KB publication with
 * three tabs of the dashboard open, from the end of a warm-up (200 updates)
 * to the end. Each update is published once every tab shows the previous
 * one, so none is merged away (about one every 20–50 ms here). The tabs'
 * heaps are measured the same way, for comparison.
 *
 * What it found (heap snapshot diffs, see the worker's lifetime-holds.ts):
 * every page message took a `waitUntil` hold of its own for up to the
 * 150 s lease — a pending event, a timer and a promise chain each — and
 * left an idle waiter that stayed for as long as streams ran. With
 * heartbeats every 100 ms the worker grew by 1.9 MB a minute; now only the
 * newest message is held and one idle waiter serves a whole busy period.
 *
 * Playwright cannot open a CDP session on a worker, so the browser session
 * attaches to the service-worker target (Target.attachToTarget) and talks
 * to it through Target.sendMessageToTarget.
 */
export async function workerMemory(env: BrowserEnv): Promise<Figures> {
  const updates = env.smoke ? 200 : 2_000;
  const warmUp = env.smoke ? 50 : 200;
  const sampleEvery = env.smoke ? 50 : 200;
  const server = await DevServer.start();
  let context: BrowserContext | undefined;
  let worker: WorkerSession | undefined;
  try {
    const publish = createPublisher(server.url);
    await publish(ID, body(0));
    context = await env.browser.newContext({ baseURL: env.appOrigin });
    const installer = await installWorker(context, server.url, ID);
    const tabs: Page[] = [];
    for (let tab = 0; tab < TABS; tab++) {
      const page = await context.newPage();
      await page.goto(appUrl({ server: server.url, ids: [ID], heartbeatMs: HEARTBEAT_MS }));
      tabs.push(page);
    }
    await installer.close();
    for (const page of tabs) await waitAllLive(page, [ID]);
    worker = await attachToServiceWorker(env.browser, env.appOrigin);
    const tabSessions = await Promise.all(tabs.map((page) => page.context().newCDPSession(page)));

    const samples: Array<{ updates: number; workerBytes: number; tabBytes: number[] }> = [];
    const sample = async (done: number) => {
      const workerBytes = await usedHeapAfterGc((method) => worker!.send(method));
      const tabBytes = await Promise.all(tabSessions.map((session) => usedHeapAfterGc((method) => session.send(method as never))));
      samples.push({ updates: done, workerBytes, tabBytes });
      env.log(`worker memory: ${done} updates, worker ${mb(workerBytes)}, tabs ${tabBytes.map(mb).join(" / ")}`);
    };
    await sample(0);
    const started = performance.now();
    for (let i = 1; i <= updates; i++) {
      const { version } = await publish(ID, body(i));
      await Promise.all(tabs.map((page) => shown(page, version)));
      if (i === warmUp || i % sampleEvery === 0) await sample(i);
    }
    const elapsedMs = performance.now() - started;
    const msPerUpdate = elapsedMs / updates;
    const warm = samples.find((s) => s.updates === warmUp)!;
    const end = samples.at(-1)!;
    const lastQuarter = samples.find((s) => s.updates >= updates * 0.75)!;
    const growth = end.workerBytes - warm.workerBytes;
    const tabGrowth = Math.max(...end.tabBytes.map((bytes, tab) => bytes - warm.tabBytes[tab]!));
    const figures: Figures = {
      "memory.workerHeapGrowthBytes": growth,
      "memory.workerBytesPerUpdate": Math.round(growth / (updates - warmUp)),
      "memory.workerLastQuarterGrowthBytes": end.workerBytes - lastQuarter.workerBytes,
      "memory.workerStartHeapBytes": samples[0]!.workerBytes,
      "memory.workerWarmHeapBytes": warm.workerBytes,
      "memory.workerEndHeapBytes": end.workerBytes,
      "memory.workerTabGrowthBytes": tabGrowth,
      "memory.workerUpdates": updates,
      "memory.workerMsPerUpdate": Math.round(msPerUpdate * 10) / 10,
      "memory.workerHeartbeats": Math.round((TABS * elapsedMs) / HEARTBEAT_MS),
    };
    env.log(`worker memory: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await worker?.detach();
    await closeQuietly(context);
    await server.dispose();
  }
}

/** A 1 KB text body that differs with every update. */
function body(n: number): string {
  const head = `update ${n} `;
  return head + "x".repeat(BODY_BYTES - head.length);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(3)} MB`;
}

/** Used JS heap after two forced collections (the second catches what the first's finalizers freed). */
async function usedHeapAfterGc(send: (method: string) => Promise<unknown>): Promise<number> {
  await send("HeapProfiler.collectGarbage");
  await send("HeapProfiler.collectGarbage");
  const usage = (await send("Runtime.getHeapUsage")) as { usedSize: number };
  return usage.usedSize;
}

/** Resolves once the tab's card shows `version` (a one-off observer: nothing stays behind in the tab). */
function shown(page: Page, version: string): Promise<void> {
  return page.evaluate(
    ({ id, wanted }) =>
      new Promise<void>((resolve, reject) => {
        const element = document.querySelector<HTMLElement>(`[data-publication-id="${id}"]`);
        if (!element) return reject(new Error(`no card for ${id}`));
        if (element.dataset.version === wanted) return resolve();
        const observer = new MutationObserver(() => {
          if (element.dataset.version !== wanted) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve();
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`version ${wanted} not shown within 20 s`));
        }, 20_000);
        observer.observe(element, { attributes: true, attributeFilter: ["data-version"] });
      }),
    { id: ID, wanted: version },
  );
}

export interface WorkerSession {
  send(method: string, params?: object): Promise<unknown>;
  /** Calls `listener` with the params of every `method` event from the worker; returns the function that stops. */
  on(method: string, listener: (params: unknown) => void): () => void;
  detach(): Promise<void>;
}

/**
 * A CDP session on the origin's service worker, through the browser
 * session: Target.attachToTarget (not flattened) and messages wrapped in
 * Target.sendMessageToTarget.
 */
export async function attachToServiceWorker(browser: Browser, origin: string): Promise<WorkerSession> {
  const session: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = await session.send("Target.getTargets");
  const target = targetInfos.find((info) => info.type === "service_worker" && info.url.startsWith(origin));
  if (!target) throw new Error(`no service worker of ${origin} is running`);
  const { sessionId } = await session.send("Target.attachToTarget", { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Set<{ method: string; listener: (params: unknown) => void }>();
  session.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    for (const entry of listeners) if (entry.method === message.method) entry.listener(message.params);
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        session.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
    on(method, listener) {
      const entry = { method, listener };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    async detach() {
      await session.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
      await session.detach().catch(() => undefined);
    },
  };
}
