import { expect, test } from "@playwright/test";
import { appUrl, expectControlled, expectShown, shownHistory, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

test("5. worker stopped by the browser: it comes back, resumes, tabs get the next update; nothing lost, nothing shown twice", async ({
  context,
}) => {
  const server = await DevServer.start();
  try {
    const v1 = await publish(server.url, "board", "one");
    // A short backoff: a pull the stopped worker had open may fail the first attempt after the restart.
    const url = appUrl({ server: server.url, ids: ["board"], heartbeatMs: 1000, backoffMs: 500 });
    const first = await context.newPage();
    await first.goto(url);
    await expectControlled(first);
    const second = await context.newPage();
    await second.goto(url);
    for (const tab of [first, second]) await expectShown(tab, "board", { version: v1, state: "live" });
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

    const pullsBefore = (await server.stats()).calls.PullPublications ?? 0;
    await stopAllServiceWorkers(context, first);
    // An update published around the stop must not be lost. (Whether the
    // next heartbeat has already restarted the worker is a matter of ms.)
    const v2 = await publish(server.url, "board", "two");
    for (const tab of [first, second]) await expectShown(tab, "board", { version: v2, state: "live", text: "two" });
    // The restarted worker opened a new pull — still one stream for both tabs.
    expect((await server.stats()).calls.PullPublications).toBeGreaterThan(pullsBefore);
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

    const v3 = await publish(server.url, "board", "three");
    for (const tab of [first, second]) {
      await expectShown(tab, "board", { version: v3, state: "live", text: "three" });
      expect(await shownHistory(tab, "board")).toEqual([v1, v2, v3]);
    }
  } finally {
    await server.dispose();
  }
});
