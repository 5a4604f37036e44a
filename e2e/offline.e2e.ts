import { expect, test } from "@playwright/test";
import { appUrl, expectControlled, expectShown, publication, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

test("3. server killed: state leaves live; reloads (server down, then network offline) show stored values from a precached shell", async ({
  context,
  page,
}) => {
  const server = await DevServer.start();
  try {
    const v1 = await publish(server.url, "menu", "soup of the day");
    const url = appUrl({ server: server.url, ids: ["menu"], backoffMs: 500 });
    await page.goto(url);
    await expectShown(page, "menu", { version: v1, state: "live" });
    await expectControlled(page);

    await server.kill();
    await expect(publication(page, "menu")).not.toHaveAttribute("data-state", "live");
    await expectShown(page, "menu", { version: v1, text: "soup of the day" });

    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expectShown(page, "menu", { version: v1, text: "soup of the day" });
    await expect(publication(page, "menu")).not.toHaveAttribute("data-state", "live");

    // A kiosk booting with no network: no worker running, no memory, only caches.
    await stopAllServiceWorkers(context, page);
    await context.setOffline(true);
    const offline = await page.reload();
    expect(offline?.fromServiceWorker()).toBe(true);
    await expectShown(page, "menu", { version: v1, text: "soup of the day" });
    await expect(publication(page, "menu")).not.toHaveAttribute("data-state", "live");
  } finally {
    await context.setOffline(false);
    await server.dispose();
  }
});

test("4. server back: the next update arrives", async ({ page }) => {
  const server = await DevServer.start();
  try {
    const v1 = await publish(server.url, "menu", "before");
    await page.goto(appUrl({ server: server.url, ids: ["menu"], backoffMs: 300 }));
    await expectShown(page, "menu", { version: v1, state: "live" });
    await expectControlled(page);

    await server.kill();
    await expect(publication(page, "menu")).toHaveAttribute("data-state", "retrying");

    await server.restart();
    const v2 = await publish(server.url, "menu", "after");
    await expectShown(page, "menu", { version: v2, state: "live", text: "after" });
    await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });
  } finally {
    await server.dispose();
  }
});
