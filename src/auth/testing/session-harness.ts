import type { AuthState, TokenProvider } from "../auth-state.js";
import type { AuthLock } from "../auth-lock.js";
import type { Clock } from "../../core/clock.js";
import type { DeviceFlowTuning } from "../device-flow-options.js";
import { createDeviceFlowSession } from "../device-flow-session.js";
import { seededRandom } from "../../core/random.js";
import { FakeClock, settle } from "../../core/testing/fake-clock.js";
import { startInProcessIdp, type InProcessIdp } from "./in-process-idp.js";
import { MemoryAuthBus } from "./memory-auth-channel.js";
import { MemoryRefreshTokenStore } from "./memory-refresh-token-store.js";
import { recordingLogger } from "./recording-logger.js";
import type { IdentityProviderOptions } from "../../server/idp/identity-provider.js";
import { SharedLock } from "./shared-lock.js";

/**
 * One origin for session specs: a fake clock, the real identity provider
 * in-process, and the pieces an origin's tabs share (store, lock, channel).
 * `tab()` opens another "tab" (a session) on them; every tab's log lines are
 * kept in `logs` so specs can search them for secrets.
 */
export interface Origin {
  readonly clock: FakeClock;
  readonly idp: InProcessIdp;
  readonly store: MemoryRefreshTokenStore;
  readonly lock: SharedLock;
  readonly bus: MemoryAuthBus;
  readonly logs: string[];
  tab(tuning?: DeviceFlowTuning & { seed?: number; lock?: AuthLock; clock?: Clock }): Tab;
}

export interface Tab {
  readonly session: TokenProvider;
  /** Every state the tab went through, in order. */
  readonly states: AuthState[];
}

export async function startOrigin(idpOptions: IdentityProviderOptions = {}): Promise<Origin> {
  const clock = new FakeClock();
  const idp = await startInProcessIdp(clock, { pollIntervalS: 5, ...idpOptions });
  const store = new MemoryRefreshTokenStore();
  const lock = new SharedLock();
  const bus = new MemoryAuthBus();
  // Every tab logs into one list, so a spec searches them all for secrets at once.
  const logger = recordingLogger();
  let seeds = 1;
  return {
    clock,
    idp,
    store,
    lock,
    bus,
    logs: logger.lines,
    tab(tuning = {}) {
      const session = createDeviceFlowSession(
        { clientId: idp.clientId, deviceUrl: idp.deviceUrl, tokenUrl: idp.tokenUrl },
        { fetch: idp.fetch, clock: tuning.clock ?? clock, random: seededRandom(tuning.seed ?? seeds++), lock: tuning.lock ?? lock, store, openChannel: bus.open },
        { logger, ...tuning },
      );
      const states: AuthState[] = [];
      session.subscribe((state) => states.push(state));
      return { session, states };
    },
  };
}

/**
 * Lets promise chains run until `condition` holds, without moving the fake
 * clock. Real time passes (a few ms at a time), because the identity
 * provider signs its tokens with WebCrypto, which answers from a thread.
 * Throws after `limit` rounds: a condition that never holds is a failure.
 */
export async function until(condition: () => boolean, what = "condition", limit = 400): Promise<void> {
  for (let round = 0; round < limit; round++) {
    if (condition()) return;
    await settle(2);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${what} did not happen`);
}

/**
 * Advances the clock by `ms`, one due timer at a time; after each, lets the
 * work it started finish (requests answered, promise chains settled) before
 * time moves on, as it would in real time.
 */
export async function run(origin: Pick<Origin, "clock" | "idp">, ms: number): Promise<void> {
  const { clock, idp } = origin;
  const target = clock.now() + ms;
  for (;;) {
    await quiesce(idp);
    const next = clock.nextTimerAt;
    if (next === undefined || next > target) break;
    await clock.advance(next - clock.now());
  }
  await clock.advance(target - clock.now());
  await quiesce(idp);
}

/** Waits (in real time, the fake clock still) until no request is in flight and promise chains have settled. */
export async function quiesce(idp: Pick<InProcessIdp, "inFlight">): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await until(() => idp.inFlight === 0, "requests to be answered");
    await settle();
  }
}

/** The current code of a tab waiting for a person, or throws. */
export function codeOf(tab: Tab): string {
  const state = tab.session.state;
  if (state.kind !== "waiting-for-user") throw new Error(`not waiting for a person but ${state.kind}`);
  return state.userCode;
}

/** Signs `tab` in through the device flow: waits for its code, approves it (as `user`), lets the next poll collect the tokens. */
export async function signIn(origin: Origin, tab: Tab, user = "admin"): Promise<void> {
  await run(origin, 0);
  await until(() => tab.session.state.kind === "waiting-for-user", "a code");
  const status = await origin.idp.approve(codeOf(tab), user);
  if (status !== 200) throw new Error(`approving answered ${status}`);
  await run(origin, 6_000);
  if (tab.session.state.kind !== "signed-in") throw new Error(`not signed in but ${tab.session.state.kind}`);
}

/** How many refresh-token requests reached the identity provider. */
export function refreshes(origin: Origin): number {
  return origin.idp.stats().tokenRequests.refresh_token;
}

/** Every secret of the origin so far: what the identity provider issued (tokens, device codes). */
export function secretsOf(origin: Origin): string[] {
  return [...origin.idp.issued];
}
