import { expect, test } from "@playwright/test";
import { expectControlled, expectShown, stopAllServiceWorkers } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";
import { approveShownCode, authStats, forgetWhatWasShown, machinePublisher, recordWhatIsShown, seen, signInAppUrl, signInPanel } from "./support/sign-in.js";

test("a restarted worker gets the token from the tab's memory: no renewal, no sign-in, the next version shown", async ({ context, page }) => {
  const server = await DevServer.start({ auth: true, pollIntervalS: 1 });
  try {
    await recordWhatIsShown(context);
    const publish = machinePublisher(server);
    const v1 = await publish("notice", "before");
    await page.goto(signInAppUrl(server, { ids: ["notice"], backoffMs: 500 }));
    await approveShownCode(page, server);
    await expectShown(page, "notice", { version: v1, state: "live" });
    await expectControlled(page);
    const before = await authStats(server);
    await forgetWhatWasShown(page);

    await stopAllServiceWorkers(context, page);
    const v2 = await publish("notice", "after");
    await expectShown(page, "notice", { version: v2, state: "live", text: "after" });
    const after = await authStats(server);
    expect(after.tokenRequests.refresh_token).toBe(before.tokenRequests.refresh_token);
    expect(after.deviceAuthorizations.started).toBe(before.deviceAuthorizations.started);
    await expect(signInPanel(page).panel).toBeHidden();
    expect((await seen(page)).panel).toEqual([]);
    // The new worker's first call goes out before a tab could hand it the token, and is refused:
    // the host keeps that to itself while the tab answers (TOKEN_GRACE_MS), so sign-in needed never shows.
    const blips = (await seen(page)).states.filter((state) => state.includes(":needs-auth@"));
    expect(blips).toEqual([]);
  } finally {
    await server.dispose();
  }
});
