import type { BrowserContext } from "@playwright/test";
import { appUrl } from "../../e2e/support/app-page.js";
import { DevServer } from "../../e2e/support/dev-server.js";
import { closeQuietly } from "../support/chromium.js";
import { directUrl, settledStreams, waitAllLive, type BrowserEnv, type Figures } from "../support/env.js";
import { createPublisher } from "../support/publisher.js";

const TABS = 5;
const IDS = ["fan-a", "fan-b", "fan-c", "fan-d"];

/**
 * Fan-out: 5 tabs of the built app, each showing the same 4 publications,
 * against the naive way — each tab opening its own 4 Connect streams. The
 * server's `/debug/stats` counts the open PullPublication streams. It is a
 * first visit: the 5 tabs open at once before any worker is installed, and
 * streams are counted once the worker controls them all.
 *
 * The naive tabs run in separate browser contexts: in one profile the
 * browser's 6 HTTP/1.1 connections per host cap them at 6 streams and the
 * rest never open (measured too, as `fanout.naiveSameProfileStreams` and
 * `fanout.naiveSameProfileTabsShowing`).
 */
export async function fanOut(env: BrowserEnv): Promise<Figures> {
  const server = await DevServer.start();
  const contexts: BrowserContext[] = [];
  try {
    const publish = createPublisher(server.url);
    for (const id of IDS) await publish(id, `first value of ${id}`);

    // pubcache-web: 5 tabs of the app in one browser profile.
    const app = await env.browser.newContext({ baseURL: env.appOrigin });
    contexts.push(app);
    // A first visit: 5 tabs open at once, no worker installed yet. The
    // first tab hosts the cache (leader tab) until the worker controls it.
    const url = appUrl({ server: server.url, ids: IDS });
    for (let tab = 0; tab < TABS; tab++) await (await app.newPage()).goto(url);
    for (const page of app.pages()) await waitAllLive(page, IDS);
    // Count once the worker controls every tab (or after 20 s: a worker
    // that never takes over shows up as extra streams, a MISS).
    const controlled = await Promise.all(
      app.pages().map((page) =>
        page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000, polling: 50 }).then(
          () => true,
          () => false,
        ),
      ),
    );
    const tabsControlled = controlled.filter(Boolean).length;
    const upstreamStreams = await settledStreams(server);
    env.log(`fan-out: app ${TABS} tabs × ${IDS.length} publications (first visit) → ${upstreamStreams} upstream streams, ${tabsControlled}/${TABS} tabs controlled by the worker`);
    await app.close();
    await settledStreams(server, 500);

    // Naive: every tab its own streams; one context per tab so the connection cap does not hide them.
    for (let tab = 0; tab < TABS; tab++) {
      const context = await env.browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(directUrl(env, server.url, IDS));
    }
    for (const context of contexts.slice(1)) await waitAllLive(context.pages()[0]!, IDS);
    const naiveStreams = await settledStreams(server);
    env.log(`fan-out: naive ${TABS} tabs × ${IDS.length} direct streams → ${naiveStreams} upstream streams`);
    for (const context of contexts.splice(1)) await context.close();
    await settledStreams(server, 500);

    // Naive in one profile, as a user would open the tabs: the connection cap.
    const profile = await env.browser.newContext();
    contexts.push(profile);
    for (let tab = 0; tab < TABS; tab++) await (await profile.newPage()).goto(directUrl(env, server.url, IDS));
    await new Promise((resolve) => setTimeout(resolve, env.smoke ? 1_000 : 3_000));
    const sameProfileStreams = await settledStreams(server);
    let tabsShowing = 0;
    for (const page of profile.pages()) {
      const live = await page.locator('[data-state="live"]').count();
      if (live === IDS.length) tabsShowing++;
    }
    env.log(`fan-out: naive in one profile → ${sameProfileStreams} streams, ${tabsShowing}/${TABS} tabs show all publications`);

    return {
      "fanout.upstreamStreams": upstreamStreams,
      "fanout.naiveStreams": naiveStreams,
      "fanout.publications": IDS.length,
      "fanout.tabsControlled": tabsControlled,
      "fanout.naiveSameProfileStreams": sameProfileStreams,
      "fanout.naiveSameProfileTabsShowing": tabsShowing,
    };
  } finally {
    for (const context of contexts) await closeQuietly(context);
    await server.dispose();
  }
}
