import { expect, test, type Page } from "@playwright/test";
import { DevServer } from "./support/dev-server.js";
import { machinePublisher, signInAppUrl, signInPanel } from "./support/sign-in.js";

/**
 * Sign-in a facilities person can follow (issue 18, item 4): the address
 * and QR code name the server as a phone reaches it (`--name`), the address
 * breaks only at its slashes, the panel sits beside the cards at 1280×800
 * and 1920×1080 (covering none, nor the header or footer), and the screen
 * says "Sign-in needed" from the moment its sign-in waits for a person.
 */
const IDS = ["site-config", "alarm-thresholds", "announcements", "floor-plan"];

/** What overlaps what: the panel against every card on the page shown, the header and the footer; and the address's parts that wrapped inside. */
function panelGeometry(page: Page) {
  return page.evaluate(() => {
    const box = (element: Element) => element.getBoundingClientRect();
    const panel = box(document.querySelector("[data-auth-panel]")!);
    const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const cards = [...document.querySelectorAll<HTMLElement>(".card:not(.off-page)")].filter((card) => card.offsetParent !== null);
    const uri = document.querySelector('[data-sign-in="uri"]')!;
    // Each part between two <wbr>s is one text node: more than one line box means it broke inside.
    const brokenParts = [...uri.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .filter((node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
      })
      .map((node) => node.textContent);
    return {
      cardsShown: cards.length,
      coveredCards: cards.filter((card) => overlaps(panel, box(card))).map((card) => card.dataset.publicationId),
      overHeader: overlaps(panel, box(document.querySelector("header.top")!)),
      overFooter: overlaps(panel, box(document.querySelector("footer.bottom")!)),
      inViewport: panel.left >= 0 && panel.top >= 0 && panel.right <= innerWidth && panel.bottom <= innerHeight,
      uriLines: new Set([...uri.getClientRects()].map((rect) => Math.round(rect.top))).size,
      brokenParts,
    };
  });
}

test("sign-in panel: the server's public name in the address and QR code, broken only at its slashes, beside the cards at 1280×800 and 1920×1080; 'Sign-in needed' from the start", async ({
  page,
}, testInfo) => {
  const server = await DevServer.start({ auth: true, name: "kiosk.test" });
  try {
    const publish = machinePublisher(server);
    for (const id of IDS) await publish(id, `${id}: the building's ${id.replace("-", " ")} as the site publishes it.`);
    // Every text the header chip showed, with the panel's state at that moment.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { chipHistory: string[] }).chipHistory = seen;
      document.addEventListener("DOMContentLoaded", () => {
        const note = () => {
          const entry = `${document.querySelector("[data-auth-panel]")?.getAttribute("data-kind") ?? "none"}|${document.querySelector(".screen-chip-text")?.textContent ?? ""}`;
          if (seen.at(-1) !== entry) seen.push(entry);
        };
        new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(signInAppUrl(server, { ids: IDS }));

    const { panel, uri, qr, code } = signInPanel(page);
    await expect(panel).toHaveAttribute("data-kind", "code");
    await expect(code).toHaveText(/^[A-Z]{4}-[A-Z]{4}$/);
    // The name a phone uses, not the loopback address this screen reached the server by.
    await expect(uri).toHaveText(new RegExp(`^http://kiosk\\.test:${server.port}/realms/smartcore/device$`));
    await expect(qr).toHaveAttribute("data-qr-text", new RegExp(`^http://kiosk\\.test:${server.port}/realms/smartcore/device\\?user_code=`));

    await expect(page.locator(".screen-chip")).toHaveText("Sign-in needed");
    for (const id of IDS) await expect(page.locator(`[data-publication-id="${id}"] .freshness-label`)).toHaveText("Sign-in needed");
    await expect(page.locator('[data-publication-id="announcements"] .placeholder')).toHaveText("Shown once this screen is signed in.");
    const history = await page.evaluate(() => (window as unknown as { chipHistory: string[] }).chipHistory);
    // Once a code is shown, the screen never claims to be merely connecting.
    expect(history.filter((entry) => entry.startsWith("code|")), history.join(", ")).not.toContain("code|Connecting…");

    for (const size of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      // The layout refits the cards into the width the panel leaves (once a second).
      await expect.poll(() => panelGeometry(page).then((g) => g.coveredCards), { message: `cards under the panel at ${size.width}×${size.height}` }).toEqual([]);
      const geometry = await panelGeometry(page);
      expect(geometry).toMatchObject({ overHeader: false, overFooter: false, inViewport: true, brokenParts: [] });
      expect(geometry.cardsShown).toBeGreaterThan(0);
      const path = testInfo.outputPath(`sign-in-${size.width}x${size.height}.png`);
      await page.screenshot({ path });
      await testInfo.attach(`sign-in ${size.width}×${size.height}`, { path, contentType: "image/png" });
    }
  } finally {
    await server.dispose();
  }
});
