import { expect, test } from "@playwright/test";
import { appUrl, expectControlled, expectShown, hostMode, publication } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

test("1. first visit online shows the publications; the worker installs and controls the page", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const welcome = await publish(server.url, "welcome", "Hello, building");
    const config = await publish(server.url, "config", '{"floors":3}', { mediaType: "application/json" });

    await page.goto(appUrl({ server: server.url, ids: ["welcome", "config"] }));
    await expectShown(page, "welcome", { version: welcome, state: "live", text: "Hello, building" });
    await expectShown(page, "config", { version: config, state: "live", text: '{"floors":3}' });

    await expectControlled(page);
    await expect.poll(() => hostMode(page)).toBe("service-worker");
    // Once the worker hosts the cache, the page stays live through it.
    const next = await publish(server.url, "welcome", "Hello again");
    await expectShown(page, "welcome", { version: next, state: "live", text: "Hello again" });
    await expect(publication(page, "config")).toHaveAttribute("data-state", "live");
  } finally {
    await server.dispose();
  }
});
