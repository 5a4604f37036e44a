import { expect, test } from "@playwright/test";
import { expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { card, openDashboard, publishDemoBuilding, seedText } from "./dashboard-support/demo-data.js";

// A wall: the four demo cards on one screen page (on a smaller screen they page, see dashboard-fit.e2e.ts).
test.use({ viewport: { width: 1920, height: 1080 } });

test("dashboard: JSON as a structured view, text as text, the floor plan as an image; version and publish time on every card", async ({
  page,
}) => {
  const server = await DevServer.start();
  try {
    const versions = await publishDemoBuilding(server.url);
    await openDashboard(page, server.url);
    await expectControlled(page);

    // JSON: labelled fields and tables, not raw text; the raw text stays in `.body` (page contract).
    const site = card(page, "site-config");
    await expect(site).toHaveAttribute("data-version", versions["site-config"]!);
    await expect(site).toHaveAttribute("data-media", "json");
    await expect(site.locator("dt", { hasText: "Time zone" })).toBeVisible();
    await expect(site.locator("dd", { hasText: "Europe/London" })).toBeVisible();
    // (Row headers of the zones table; on this screen the table continues on the card's second part.)
    await expect(site.locator("table th[scope=row]", { hasText: "Server room" })).toHaveCount(1);
    await expect(site.locator(".body")).toBeHidden();
    await expect(site.locator(".body")).toHaveText(await seedText("site-config.json"));
    const thresholds = card(page, "alarm-thresholds");
    // Units as people write them: "degC" in the document, °C on screen.
    await expect(thresholds.locator("td", { hasText: "low 18 · high 24\u00a0°C" })).toBeVisible();

    // Text: shown as the text itself.
    const notice = card(page, "announcements");
    await expect(notice).toHaveAttribute("data-media", "text");
    await expect(notice.locator(".body")).toBeVisible();
    await expect(notice.locator(".body")).toHaveText(await seedText("announcements.txt"));

    // Image: decoded and drawn, with the card title as its text alternative.
    const plan = card(page, "floor-plan");
    await expect(plan).toHaveAttribute("data-media", "image");
    const image = plan.getByRole("img", { name: "Floor plan" });
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);

    // The header names the building from the site configuration.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour House");
    for (const id of Object.keys(versions)) {
      const meta = card(page, id).locator(".card-meta");
      await expect(meta).toContainText(`Version ${versions[id]!.slice(0, 8)}`);
      await expect(meta.locator("time")).toHaveText(/^Published .+ \(now\)$/);
      await expect(card(page, id).locator(".freshness-label")).toHaveText("Live");
      // Said once for the screen (the header chip), not on every card.
      await expect(card(page, id).locator(".freshness")).toBeHidden();
    }
  } finally {
    await server.dispose();
  }
});
