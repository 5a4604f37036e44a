import { expect, test } from "@playwright/test";
import { expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { openDashboard, publishDemoBuilding } from "./dashboard-support/demo-data.js";

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

test("installable: a valid manifest (fields, theme colour, full screen), every icon resolvable at its size, a controlling worker", async ({
  page,
  context,
}) => {
  const server = await DevServer.start();
  try {
    await publishDemoBuilding(server.url);
    await openDashboard(page, server.url);
    await expectControlled(page);

    const manifestHref = await page.locator('link[rel="manifest"]').evaluate((link: HTMLLinkElement) => link.href);
    const response = await page.request.get(manifestHref);
    expect(response.ok()).toBe(true);
    expect(response.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
    const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest).toMatchObject({
      name: expect.stringContaining("Building dashboard"),
      short_name: "Building",
      start_url: "./",
      scope: "./",
      display: "fullscreen",
      theme_color: "#0f3d56",
      background_color: "#0f3d56",
    });
    const themeMeta = await page.locator('meta[name="theme-color"]').first().getAttribute("content");
    expect(themeMeta).toBe(manifest.theme_color);

    const png = manifest.icons.filter((icon) => icon.type === "image/png");
    expect(png.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const file = await page.request.get(new URL(icon.src, manifestHref).href);
      expect(file.ok(), icon.src).toBe(true);
      expect(file.headers()["content-type"]).toBe(icon.type);
      if (icon.type !== "image/png") continue;
      // A PNG's IHDR holds width and height at bytes 16–23.
      const bytes = await file.body();
      expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
    }

    // Chromium's own verdict, as the install prompt would see it. Playwright's
    // contexts are off the record, which alone blocks installing ("in-incognito").
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: Array<{ errorId: string }>;
    };
    expect(installabilityErrors.filter((error) => error.errorId !== "in-incognito")).toEqual([]);
    const { errors } = (await cdp.send("Page.getAppManifest")) as { errors: unknown[] };
    expect(errors).toEqual([]);
    await cdp.detach();
  } finally {
    await server.dispose();
  }
});
