import { expect, test } from "@playwright/test";
import { appUrl, expectControlled, expectShown } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

test("2. two tabs, two publications: one upstream stream for the device; a CLI update reaches both tabs", async ({ context }) => {
  const server = await DevServer.start();
  try {
    const a1 = await publish(server.url, "alarms", "none");
    const b1 = await publish(server.url, "notice", "lift out of order");
    const url = appUrl({ server: server.url, ids: ["alarms", "notice"] });

    const first = await context.newPage();
    await first.goto(url);
    await expectControlled(first);
    const second = await context.newPage();
    await second.goto(url);
    for (const tab of [first, second]) {
      await expectShown(tab, "alarms", { version: a1, state: "live" });
      await expectShown(tab, "notice", { version: b1, state: "live" });
    }

    // Two publications of one device → one stream, whatever the number of tabs.
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

    const a2 = await publish(server.url, "alarms", "fire on level 2");
    for (const tab of [first, second]) {
      await expectShown(tab, "alarms", { version: a2, state: "live", text: "fire on level 2" });
    }
    expect(await server.streams()).toEqual({ device: 1, perPublication: 0 });
  } finally {
    await server.dispose();
  }
});
