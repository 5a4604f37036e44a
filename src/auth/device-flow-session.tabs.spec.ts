import { describe, expect, it } from "vitest";
import type { AuthLock } from "./auth-lock.js";
import { isGrant } from "./testing/in-process-idp.js";
import { codeOf, refreshes, run, signIn, startOrigin, until } from "./testing/session-harness.js";

const ACCESS_TTL_S = 60;

describe("device-flow session: several tabs (and hosts) of one origin", () => {
  it("a tab opened later takes the signed-in tab's token: no renewal, no code", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    first.session.start();
    await signIn(origin, first);
    const before = refreshes(origin);

    const second = origin.tab();
    second.session.start();
    await run(origin, 500);
    expect(second.session.state.kind).toBe("signed-in");
    expect(await second.session.getToken()).toBe(await first.session.getToken());
    expect(refreshes(origin)).toBe(before);
    expect(second.states.map((s) => s.kind)).toEqual(["starting", "signed-in"]);
  });

  it("three tabs renew each token once between them, never with a spent refresh token, for ten lifetimes", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tabs = [origin.tab(), origin.tab(), origin.tab()];
    tabs[0]!.session.start();
    await signIn(origin, tabs[0]!);
    for (const tab of tabs.slice(1)) tab.session.start();
    await run(origin, 1_000);
    const before = refreshes(origin);

    for (let second = 0; second < 10 * ACCESS_TTL_S; second += 5) {
      await run(origin, 5_000);
      const held = await Promise.all(tabs.map((tab) => tab.session.getToken()));
      expect(new Set(held).size, `one token shared at ${second + 5} s`).toBe(1);
      expect(held[0]).toBeDefined();
    }
    const renewals = refreshes(origin) - before;
    // Each tab renews at its own jittered 75–85 % of the lifetime; the first to get there renews for all.
    expect(renewals).toBeGreaterThanOrEqual(Math.floor(10 / 0.85));
    expect(renewals).toBeLessThanOrEqual(Math.ceil(10 / 0.75));
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(0);
    const presented = origin.idp.requests.filter(isGrant("refresh_token")).map((r) => r.form.refresh_token);
    expect(new Set(presented).size).toBe(presented.length);
    for (const tab of tabs) expect(tab.states.some((s) => s.kind === "waiting-for-user" || s.kind === "refresh-failed")).toBe(tab === tabs[0]);
  });

  it("a tab that got the lock after another renewed asks for that tab's token instead of renewing again", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const tabs = [origin.tab({ seed: 1 }), origin.tab({ seed: 2 })];
    tabs[0]!.session.start();
    await signIn(origin, tabs[0]!);
    tabs[1]!.session.start();
    await run(origin, 1_000);
    const before = refreshes(origin);
    const grants = origin.lock.grants;
    // The first renewal is slow: both tabs' renewal times pass while it is under way, so the other tab queues for the lock.
    const slow = origin.idp.hold(isGrant("refresh_token"));
    const due = Math.max(...tabs.map((tab) => (tab.session.state as { refreshAt: number }).refreshAt));
    await origin.clock.advance(due - origin.clock.now() + 1);
    await until(slow.held, "a renewal under way");
    slow.release();
    await run(origin, 1_000);
    expect(origin.lock.grants - grants).toBe(2); // both took their turn…
    expect(refreshes(origin) - before).toBe(1); // …one renewed
    expect(await tabs[1]!.session.getToken()).toBe(await tabs[0]!.session.getToken());
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(0);
  });

  it("without the lock, two renewals at once present the same refresh token and the identity provider ends the sign-in (why the lock exists)", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const noLock: AuthLock = { run: (work) => work() };
    const tabs = [origin.tab({ lock: noLock, seed: 1 }), origin.tab({ lock: noLock, seed: 2 })];
    tabs[0]!.session.start();
    await signIn(origin, tabs[0]!);
    tabs[1]!.session.start();
    await run(origin, 1_000);
    const slow = origin.idp.hold(isGrant("refresh_token"));
    const due = Math.max(...tabs.map((tab) => (tab.session.state as { refreshAt: number }).refreshAt));
    await origin.clock.advance(due - origin.clock.now() + 1);
    await until(slow.held, "a renewal under way");
    await until(() => origin.idp.requests.filter(isGrant("refresh_token")).length === 2, "the second renewal");
    slow.release();
    await run(origin, 1_000);
    expect(origin.idp.stats().tokenErrors.refresh_token).toBe(1);
    await run(origin, ACCESS_TTL_S * 1000);
    // The whole family is revoked: every tab is back to a code.
    for (const tab of tabs) expect(tab.session.state.kind).toBe("waiting-for-user");
  });

  it("two tabs with no sign-in show one code between them; approving it signs both in", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    const second = origin.tab();
    first.session.start();
    second.session.start();
    await run(origin, 0);
    await until(() => first.session.state.kind === "waiting-for-user" && second.session.state.kind === "waiting-for-user", "both to show a code");
    expect(codeOf(second)).toBe(codeOf(first));
    expect(origin.idp.stats().deviceAuthorizations.started).toBe(1);

    await origin.idp.approve(codeOf(first));
    await run(origin, 6_000);
    expect(first.session.state.kind).toBe("signed-in");
    expect(second.session.state.kind).toBe("signed-in");
    expect(await second.session.getToken()).toBe(await first.session.getToken());
    expect(origin.idp.stats().deviceAuthorizations.started).toBe(1);
  });

  it("a tab opened while another shows a code shows the same code", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    first.session.start();
    await run(origin, 0);
    await until(() => first.session.state.kind === "waiting-for-user", "a code");
    const late = origin.tab();
    late.session.start();
    await run(origin, 100);
    expect(codeOf(late)).toBe(codeOf(first));
  });

  it("when the tab showing the code closes, a waiting tab takes over with a code of its own", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    const second = origin.tab();
    first.session.start();
    second.session.start();
    await run(origin, 0);
    await until(() => second.session.state.kind === "waiting-for-user", "a code");
    const shared = codeOf(second);
    await first.session.close();
    await run(origin, 100);
    await until(() => second.session.state.kind === "waiting-for-user" && codeOf(second) !== shared, "a new code");
    await origin.idp.approve(codeOf(second));
    await run(origin, 6_000);
    expect(second.session.state.kind).toBe("signed-in");
  });

  it("signing out in one tab signs every tab out, forgets the stored sign-in, and shows a new code", async () => {
    const origin = await startOrigin({ accessTtlS: ACCESS_TTL_S });
    const first = origin.tab();
    const second = origin.tab();
    first.session.start();
    await signIn(origin, first);
    second.session.start();
    await run(origin, 500);
    expect(second.session.state.kind).toBe("signed-in");

    await first.session.signOut();
    await run(origin, 100);
    expect(origin.store.stored).toBeUndefined();
    expect(await second.session.getToken()).toBeUndefined();
    expect(await first.session.getToken()).toBeUndefined();
    await until(() => first.session.state.kind === "waiting-for-user" && second.session.state.kind === "waiting-for-user", "a new code");
    expect(codeOf(second)).toBe(codeOf(first));
  });
});
