import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import { seededRandom } from "../core/random.js";
import { FakeClock } from "../core/testing/fake-clock.js";
import type { IdentityProviderOptions } from "../server/idp/identity-provider.js";
import { signInWithDeviceCode, type DeviceFlowProgress } from "./device-flow.js";
import { isGrant, startInProcessIdp, type InProcessIdp } from "./testing/in-process-idp.js";
import { run, until } from "./testing/session-harness.js";
import { TokenEndpoint, type TokenGrant } from "./token-endpoint.js";

const INTERVAL_S = 5;

/** A device flow against a fresh identity provider; `prepare` runs before the flow's first request (to inject faults). */
async function flow(options: IdentityProviderOptions = {}, prepare: (idp: InProcessIdp) => void = () => {}) {
  const clock = new FakeClock();
  const idp = await startInProcessIdp(clock, { pollIntervalS: INTERVAL_S, ...options });
  const progress: DeviceFlowProgress[] = [];
  const abort = new AbortController();
  let result: TokenGrant | undefined | "running" = "running";
  prepare(idp);
  const done = signInWithDeviceCode({
    endpoint: new TokenEndpoint(idp.fetch, clock),
    clientId: idp.clientId,
    deviceUrl: idp.deviceUrl,
    tokenUrl: idp.tokenUrl,
    clock,
    random: seededRandom(7),
    logger: silentLogger,
    signal: abort.signal,
    onProgress: (step) => progress.push(step),
  }).then((grant) => (result = grant));
  const origin = { clock, idp };
  const codes = () => progress.flatMap((step) => (step.kind === "code" ? [step.code.userCode] : []));
  const polls = () => idp.requests.filter(isGrant("device_code")).map((request) => request.at);
  return { clock, idp, origin, progress, abort, done, codes, polls, result: () => result };
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((at, i) => at - times[i]!);
}

function slowDownsAnsweredBy(idp: InProcessIdp): number {
  return idp.log.filter((line) => line.includes("outcome=slow_down")).length;
}

describe("device flow (RFC 8628) against the development identity provider", () => {
  it("polls no sooner than the interval after the code and after each poll, and returns the tokens once approved", async () => {
    const f = await flow();
    await run(f.origin, 0);
    const codeAt = f.clock.now();
    expect(f.codes()).toHaveLength(1);
    await run(f.origin, 3 * INTERVAL_S * 1000 + 100);
    expect(f.polls()).toHaveLength(3);
    await f.idp.approve(f.codes()[0]!);
    await run(f.origin, INTERVAL_S * 1000);
    expect(f.result()).toMatchObject({ accessToken: expect.stringMatching(/^ey/), refreshToken: expect.any(String) });
    const polls = f.polls();
    expect(polls[0]! - codeAt).toBeGreaterThanOrEqual(INTERVAL_S * 1000);
    for (const gap of gaps(polls)) expect(gap).toBeGreaterThanOrEqual(INTERVAL_S * 1000);
    expect(slowDownsAnsweredBy(f.idp)).toBe(0); // the server never had to tell us
  });

  it("slow_down makes every later wait 5 s longer, for good", async () => {
    const f = await flow();
    await run(f.origin, 0);
    f.idp.inject(isGrant("device_code"), { status: 400, body: { error: "slow_down" } });
    await run(f.origin, 60_000);
    const polls = f.polls();
    expect(gaps(polls).slice(0)).toEqual(gaps(polls).map(() => (INTERVAL_S + 5) * 1000));
    f.idp.inject(isGrant("device_code"), { status: 400, body: { error: "slow_down" } });
    const before = f.polls().length;
    await run(f.origin, 60_000);
    const later = f.polls().slice(before - 1);
    expect(gaps(later).slice(1).every((gap) => gap === (INTERVAL_S + 10) * 1000)).toBe(true);
    expect(slowDownsAnsweredBy(f.idp)).toBe(0);
  });

  it("expired_token: a new code, and no poll for the old one after it expired", async () => {
    const f = await flow({ deviceCodeTtlS: 30 });
    await run(f.origin, 0);
    const firstCodeAt = f.clock.now();
    await run(f.origin, 31_000);
    expect(f.codes()).toHaveLength(2);
    expect(f.codes()[1]).not.toBe(f.codes()[0]);
    expect(f.progress.at(-1)).toMatchObject({ kind: "code", problem: { code: "expired_token" } });
    const oldCodePolls = f.idp.requests.filter(isGrant("device_code")).filter((r) => r.form.device_code === f.idp.requests.find(isGrant("device_code"))!.form.device_code);
    for (const poll of oldCodePolls) expect(poll.at).toBeLessThan(firstCodeAt + 30_000);
    // The server's own expired_token answer also leads to a new code.
    f.idp.inject(isGrant("device_code"), { status: 400, body: { error: "expired_token" } });
    await run(f.origin, INTERVAL_S * 1000);
    expect(f.codes()).toHaveLength(3);
  });

  it("access_denied: a new code, saying the last one was denied", async () => {
    const f = await flow();
    await run(f.origin, 0);
    expect(await f.idp.deny(f.codes()[0]!)).toBe(200);
    await run(f.origin, INTERVAL_S * 1000);
    expect(f.codes()).toHaveLength(2);
    expect(f.progress.at(-1)).toMatchObject({ kind: "code", problem: { code: "access_denied", message: "the last sign-in was denied" } });
    expect(f.result()).toBe("running");
  });

  it("an unreachable device endpoint is retried with jittered backoff, saying when", async () => {
    const f = await flow({}, (idp) => idp.inject((r) => r.url === idp.deviceUrl, "network-error", 3));
    await run(f.origin, 0);
    const waiting = f.progress.at(-1) as Extract<DeviceFlowProgress, { kind: "requesting-code" }>;
    expect(waiting).toMatchObject({ kind: "requesting-code", problem: { code: "network" } });
    expect(waiting.nextAttemptAt! - f.clock.now()).toBeGreaterThanOrEqual(2_500); // 5 s ± 50 %
    await run(f.origin, 120_000);
    expect(f.codes()).toHaveLength(1);
    const attempts = f.idp.requests.filter((r) => r.url === f.idp.deviceUrl).map((r) => r.at);
    expect(attempts).toHaveLength(4);
    expect(gaps(attempts)[2]!).toBeGreaterThan(gaps(attempts)[0]!);
  });

  it("a poll that fails to reach the server waits at least the interval before the next", async () => {
    const f = await flow();
    await run(f.origin, 0);
    f.idp.inject(isGrant("device_code"), "network-error", 3);
    await run(f.origin, 60_000);
    for (const gap of gaps(f.polls())) expect(gap).toBeGreaterThanOrEqual(INTERVAL_S * 1000);
    expect(f.polls().length).toBeGreaterThan(4);
  });

  it("stops at once when aborted: resolves undefined, sends nothing more", async () => {
    const f = await flow();
    await run(f.origin, 0);
    f.abort.abort();
    await until(() => f.result() !== "running", "the flow to end");
    expect(f.result()).toBeUndefined();
    const sent = f.idp.requests.length;
    await run(f.origin, 60_000);
    expect(f.idp.requests).toHaveLength(sent);
    expect(f.clock.pendingTimers).toBe(0);
  });
});
