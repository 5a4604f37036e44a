import { appUrl } from "../support/app-url.js";
import type { DevServer } from "../support/dev-server.js";
import { publishBody } from "../support/publish-api.js";
import type { StaticCopy } from "../support/static-server.js";
import { documentLoad, expectHostedByWorker, expectNoPageErrors, expectShown, waitForEqual } from "./app-contract.js";
import type { BrowserSession } from "./browser-session.js";

/**
 * The main flows, written once against BrowserSession and run in every
 * engine (run.ts), numbered as in the product brief. The Chromium versions
 * of the same flows: e2e/first-visit.e2e.ts, two-tabs.e2e.ts, offline.e2e.ts.
 */
export interface FlowContext {
  /** A browser with a fresh profile. */
  readonly session: BrowserSession;
  /** A development server of this flow alone, on 127.0.0.1 (cross-origin from the page: CORS is exercised). */
  readonly server: DevServer;
  /** The built app (dist/) on its own localhost port: an origin of this flow alone. */
  readonly app: StaticCopy;
  /** Runs one step of the flow: a failure names the step; the runner reports how long each took. */
  readonly step: <T>(name: string, run: () => Promise<T>) => Promise<T>;
}

export interface Flow {
  readonly name: string;
  run(context: FlowContext): Promise<void>;
}

const text = (server: DevServer, id: string, body: string) => publishBody(server.url, id, body, "text/plain");

/** One upstream stream for the device, none per publication: the design (one PullPublications per server × device). */
const ONE_DEVICE_STREAM = { device: 1, perPublication: 0 };

export const FLOWS: readonly Flow[] = [
  {
    name: "1–2. first visit: the publications live; the worker installs, controls the page and hosts the cache; an update published reaches the page",
    async run({ session, server, app, step }) {
      const welcome = await text(server, "welcome", "Hello, building");
      const config = await publishBody(server.url, "config", '{"floors":3}', "application/json");
      const tab = session.firstTab;
      await step("1. first visit shows the publications live", async () => {
        await tab.goto(app.origin + appUrl({ server: server.url, ids: ["welcome", "config"] }));
        await expectShown(tab, "welcome", { version: welcome, state: "live", text: "Hello, building" });
        await expectShown(tab, "config", { version: config, state: "live" });
      });
      await step("1. the service worker controls the page and hosts the cache", () => expectHostedByWorker(tab));
      await step("2. an update published on the server reaches the page", async () => {
        const next = await text(server, "welcome", "Hello again");
        await expectShown(tab, "welcome", { version: next, state: "live", text: "Hello again" });
        await expectShown(tab, "config", { version: config, state: "live" });
      });
      await step("no page errors", () => expectNoPageErrors([tab]));
    },
  },
  {
    name: "3. two tabs: both show the update; the server sees one upstream stream for the device",
    async run({ session, server, app, step }) {
      const a1 = await text(server, "alarms", "none");
      const b1 = await text(server, "notice", "lift out of order");
      const url = app.origin + appUrl({ server: server.url, ids: ["alarms", "notice"] });
      const first = session.firstTab;
      await step("the first tab: controlled by the worker", async () => {
        await first.goto(url);
        await expectHostedByWorker(first);
      });
      const second = await session.newTab();
      const tabs = [first, second];
      await step("a second tab: both show both publications live, through the worker", async () => {
        await second.goto(url);
        for (const tab of tabs) {
          await expectShown(tab, "alarms", { version: a1, state: "live" });
          await expectShown(tab, "notice", { version: b1, state: "live" });
          await expectHostedByWorker(tab);
        }
      });
      await step("one stream for the device, whatever the number of tabs", () => waitForEqual("the server's open streams", () => server.streams(), ONE_DEVICE_STREAM));
      await step("an update reaches both tabs", async () => {
        const a2 = await text(server, "alarms", "fire on level 2");
        for (const tab of tabs) await expectShown(tab, "alarms", { version: a2, state: "live", text: "fire on level 2" });
      });
      await step("still one stream", () => waitForEqual("the server's open streams", () => server.streams(), ONE_DEVICE_STREAM, 0));
      await step("no page errors", () => expectNoPageErrors(tabs));
    },
  },
  {
    name: "4–5. server killed: retrying, value kept; reload with every server gone: the stored value from the worker's precached shell; server back: the next update arrives",
    async run({ session, server, app, step }) {
      const v1 = await text(server, "menu", "soup of the day");
      const tab = session.firstTab;
      await step("live, and controlled by the worker", async () => {
        await tab.goto(app.origin + appUrl({ server: server.url, ids: ["menu"], backoffMs: 500 }));
        await expectShown(tab, "menu", { version: v1, state: "live" });
        await expectHostedByWorker(tab);
      });
      await step("4. server killed: the page says it is retrying and keeps the value", async () => {
        await server.kill();
        await expectShown(tab, "menu", { version: v1, state: "retrying", text: "soup of the day" });
      });
      await step("4. reload with the app's server gone too: the worker serves the page, which shows the stored value", async () => {
        // Only the worker can answer the reload now.
        await app.dispose();
        const before = await documentLoad(tab);
        await tab.reload();
        const after = await documentLoad(tab);
        if (after.timeOrigin === before.timeOrigin || after.type !== "reload") {
          throw new Error(`the page was not reloaded: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
        }
        await expectShown(tab, "menu", { version: v1, state: "retrying", text: "soup of the day" });
        await expectHostedByWorker(tab);
      });
      await step("5. server back: the next update arrives, over one device stream", async () => {
        await server.restart();
        const v2 = await text(server, "menu", "soup and bread");
        await expectShown(tab, "menu", { version: v2, state: "live", text: "soup and bread" });
        await waitForEqual("the server's open streams", () => server.streams(), ONE_DEVICE_STREAM);
      });
      await step("no page errors", () => expectNoPageErrors([tab]));
    },
  },
];
