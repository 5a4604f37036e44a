import { expect, test, type Page } from "@playwright/test";
import { appUrl, expectControlled, expectShown, publication, storedRecords } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { publish } from "./support/publish.js";

test("11. clear() on one partition leaves another partition's data intact", async ({ context }) => {
  const server = await DevServer.start();
  try {
    const v1 = await publish(server.url, "profile", "shared screen");
    const alice = await context.newPage();
    await alice.goto(appUrl({ server: server.url, ids: ["profile"], partition: "alice" }));
    await expectControlled(alice);
    const bob = await context.newPage();
    await bob.goto(appUrl({ server: server.url, ids: ["profile"], partition: "bob" }));
    for (const tab of [alice, bob]) await expectShown(tab, "profile", { version: v1, state: "live" });
    expect((await storedScopes(alice)).sort()).toEqual(["alice", "bob"]);

    // With the server gone, nothing can refill the cleared partition behind our back.
    await server.kill();
    await alice.evaluate(() => window.pubcacheApp.client.clear());
    await expect(publication(alice, "profile")).toHaveAttribute("data-version", "");
    await expectShown(bob, "profile", { version: v1 });
    expect(await storedScopes(alice)).toEqual(["bob"]);

    for (const tab of [alice, bob]) await tab.reload();
    await expectShown(bob, "profile", { version: v1, text: "shared screen" });
    await expect(publication(alice, "profile")).not.toHaveAttribute("data-state", "connecting");
    await expect(publication(alice, "profile")).toHaveAttribute("data-version", "");
  } finally {
    await server.dispose();
  }
});

/** The partition of every stored publication record (the last element of its JSON scope key). */
async function storedScopes(page: Page): Promise<string[]> {
  return (await storedRecords(page)).map((r) => (JSON.parse(r.scopeKey) as string[]).at(-1) ?? "");
}
