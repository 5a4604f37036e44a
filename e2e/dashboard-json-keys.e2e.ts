import { expect, test, type Page } from "@playwright/test";
import { Publication_Audience_Receipt as Receipt } from "../src/gen/smartcore/traits/publication_pb.js";
import { apiClient, card } from "./dashboard-support/demo-data.js";
import { appUrl, expectControlled } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";

/**
 * Every body renders or says why (issue 18, item 5). JSON keys are data:
 * a key named after a member of Object.prototype renders like any other
 * (it used to leave the card at "Waiting for data…" with no error
 * anywhere). A body that cannot be shown gets a note on its card and a
 * REJECTED receipt with the same reason.
 */
test.use({ viewport: { width: 1280, height: 800 } });

const SCREEN = "lobby-1";

async function publishFor(server: string, id: string, body: string | Uint8Array, mediaType = "application/json"): Promise<string> {
  const client = apiClient(server);
  const publication = { id, body: typeof body === "string" ? new TextEncoder().encode(body) : body, mediaType, audience: { name: SCREEN } };
  try {
    return (await client.createPublication({ name: "", publication })).version;
  } catch {
    return (await client.updatePublication({ name: "", publication })).version;
  }
}

const audienceOf = async (server: string, id: string) => (await apiClient(server).getPublication({ name: "", id })).audience;

/** Opens the screen once the service worker controls the origin (as a kiosk does from its second start). */
async function openScreen(page: Page, server: string, ids: readonly string[]) {
  await page.goto(appUrl({ server, ids: ["warm-up"] }));
  await expectControlled(page);
  await page.goto(appUrl({ server, ids, screen: SCREEN }));
}

/** id → [body, labels the card must show]. */
const TRICKY: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ["key-constructor", '{"constructor":{"a":1}}', ["Constructor", "A"]],
  ["key-proto", '{"__proto__":{"a":1},"b":2}', ["Proto", "A", "B"]],
  ["key-members", '{"toString":1,"hasOwnProperty":2,"valueOf":{"x":1}}', ["To string", "Has own property", "Value of", "X"]],
  ["key-units", '{"units":{"constructor":"degC"},"constructor":21,"isPrototypeOf":"yes"}', ["Constructor", "Is prototype of"]],
  // Valid JSON nested 20,000 levels deep: its compact form overflowed the stack.
  ["deep", `{"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, ["Deep"]],
];

test("a JSON key named constructor, __proto__, toString, hasOwnProperty or valueOf renders like any other, and is ACCEPTED", async ({ page }, testInfo) => {
  const server = await DevServer.start();
  try {
    const versions = new Map<string, string>();
    for (const [id, body] of TRICKY) versions.set(id, await publishFor(server.url, id, body));
    await openScreen(page, server.url, TRICKY.map(([id]) => id));

    for (const [id, , labels] of TRICKY) {
      const element = card(page, id);
      await expect(element).toHaveAttribute("data-shown-version", versions.get(id)!);
      await expect(element).toHaveAttribute("data-problem", "");
      await expect(element.locator(".placeholder")).toHaveCount(0);
      await expect(element.locator(".card-problem")).toBeHidden();
      const shown = await element.locator(".json-body dt, .json-body th").allInnerTexts();
      for (const label of labels) expect(shown, `${id} shows ${label}`).toContain(label);
    }
    await expect(card(page, "key-units").locator(".json-body")).toContainText("21\u00a0°C");
    for (const [id] of TRICKY) {
      await expect.poll(async () => (await audienceOf(server.url, id))?.receipt, { message: id }).toBe(Receipt.ACCEPTED);
    }

    const shot = testInfo.outputPath("json-keys-1280x800.png");
    await page.screenshot({ path: shot });
    await testInfo.attach("cards with keys named after Object.prototype members, 1280×800", { path: shot, contentType: "image/png" });
  } finally {
    await server.dispose();
  }
});

test("a body that cannot be shown says why on its card and in a REJECTED receipt — never 'Waiting for data…'", async ({ page }, testInfo) => {
  const server = await DevServer.start();
  try {
    const bodies: ReadonlyArray<readonly [string, string | Uint8Array, string, RegExp]> = [
      ["broken-small", '{"rules": [1, 2,', "application/json", /^not valid JSON: /],
      // Over 64 kB: read in the JSON worker, whose answer must carry the reason too.
      ["broken-large", `{"rows": [${'"a row of the table",'.repeat(4_000)}`, "application/json", /^not valid JSON: /],
      ["broken-image", new TextEncoder().encode("this is not a PNG"), "image/png", /^the image does not decode$/],
      ["unknown-type", new TextEncoder().encode("%PDF-1.7"), "application/pdf", /^application\/pdf is not shown on this screen$/],
    ];
    for (const [id, body, mediaType] of bodies) await publishFor(server.url, id, body, mediaType);
    await openScreen(page, server.url, bodies.map(([id]) => id));

    for (const [id, , , reason] of bodies) {
      const element = card(page, id);
      await expect(element, id).toHaveAttribute("data-problem", reason);
      const problem = (await element.getAttribute("data-problem"))!;
      await expect(element.locator(".card-problem")).toBeVisible();
      await expect(element.locator(".card-problem")).toHaveText(`This screen cannot show this version: ${problem}`);
      await expect(element.locator(".placeholder")).toHaveCount(0);
      await expect.poll(async () => (await audienceOf(server.url, id))?.receipt, { message: id }).toBe(Receipt.REJECTED);
      expect((await audienceOf(server.url, id))?.receiptRejectedReason, id).toBe(problem.slice(0, 200));
    }

    const shot = testInfo.outputPath("bodies-rejected-1280x800.png");
    await page.screenshot({ path: shot });
    await testInfo.attach("bodies that cannot be shown, with their notes, 1280×800", { path: shot, contentType: "image/png" });
  } finally {
    await server.dispose();
  }
});
