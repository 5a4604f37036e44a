import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { appUrl, expectControlled, expectShown, hostMode } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";
import { StaticCopy } from "./support/static-server.js";

test("a new worker version takes over without reloading the page (no reload loop) and keeps it live", async ({ page }) => {
  const server = await DevServer.start();
  const site = await StaticCopy.of(fileURLToPath(new URL("../dist", import.meta.url)));
  try {
    const v1 = await publish(server.url, "news", "first");
    let navigations = 0;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.goto(site.origin + appUrl({ server: server.url, ids: ["news"], heartbeatMs: 1000 }));
    await expectControlled(page);
    await expectShown(page, "news", { version: v1, state: "live" });
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller);
    expect(firstWorker).not.toBeNull();

    // Ship a new version: a byte-different sw.js. The old worker holds
    // events open while it streams; it must let go, or Chromium would not
    // activate the new one for minutes.
    await appendFile(join(site.dir, "sw.js"), "\n// next version\n");
    const changed = page.evaluate(
      () => new Promise<void>((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true })),
    );
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await changed;

    expect(navigations).toBe(1);
    expect(await hostMode(page)).toBe("service-worker");
    const v2 = await publish(server.url, "news", "second");
    await expectShown(page, "news", { version: v2, state: "live", text: "second" });
    expect(navigations).toBe(1);
  } finally {
    await site.dispose();
    await server.dispose();
  }
});
