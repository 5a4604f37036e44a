import { createBackoff } from "../core/backoff.js";
import { silentLogger } from "../core/logger.js";
import type { AuthChannel, AuthMessage } from "./auth-channel.js";
import type { AuthProblem, TokenProvider } from "./auth-state.js";
import type { DeviceFlowEndpoints, DeviceFlowPlatform, DeviceFlowTuning } from "./device-flow-options.js";
import { signInWithDeviceCode } from "./device-flow.js";
import { checkRefreshWindow, DEFAULT_REFRESH_WINDOW, isUsable, refreshTimeOf } from "./refresh-schedule.js";
import type { StoredSignIn } from "./refresh-token-store.js";
import { StateHolder } from "./state-holder.js";
import { TokenEndpoint, type TokenGrant } from "./token-endpoint.js";


const DAY_MS = 86_400_000;
/** The access token a tab holds, in memory only. */
interface HeldToken {
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshExpiresAt: number | undefined;
  readonly generation: number;
  readonly refreshAt: number;
}

/**
 * A screen's sign-in that lasts: the device flow when there is none, then
 * renewals ahead of expiry for as long as the identity provider allows.
 *
 * Per tab: the access token in memory. Per origin: the refresh token in
 * `store` (encrypted in browsers), renewed under `lock` by one tab at a
 * time, which hands the new access token to the others over the channel —
 * so however many tabs run, each token is renewed once. After taking the
 * lock a tab re-reads the store: if another tab renewed meanwhile (a newer
 * generation), it asks for that tab's token rather than renewing again,
 * since presenting a spent refresh token revokes the whole sign-in.
 */
export function createDeviceFlowSession(endpoints: DeviceFlowEndpoints, platform: DeviceFlowPlatform, tuning: DeviceFlowTuning = {}): TokenProvider {
  const { clock, random, lock, store } = platform;
  const logger = tuning.logger ?? silentLogger;
  const window = checkRefreshWindow(tuning.refreshWindow ?? DEFAULT_REFRESH_WINDOW);
  const peerWaitMs = tuning.peerWaitMs ?? 300;
  const getTokenWaitMs = tuning.getTokenWaitMs ?? 10_000;
  const endpoint = new TokenEndpoint(platform.fetch, clock);
  const holder = new StateHolder(clock, logger);
  // Renewals that fail for a reason that may pass: jittered, growing waits (no storm when the server comes back).
  const retry = createBackoff({ minMs: 5_000, maxMs: 300_000, jitter: "wide" }, random);
  const closing = new AbortController();

  let access: HeldToken | undefined;
  /** A refresh token the store refused to take: used (and stored again) by this tab's next renewal. */
  let unsaved: StoredSignIn | undefined;
  let channel: AuthChannel | undefined;
  let work: Promise<void> | undefined;
  /** Set while this tab's device flow runs (it holds the lock): aborting it lets go. */
  let deviceFlow: AbortController | undefined;
  let cancelTimer = () => {};
  let started = false;
  let closed = false;

  const usable = () => (access !== undefined && isUsable(access, clock.now()) ? access : undefined);

  function adopt(grant: Omit<HeldToken, "refreshAt">, share: boolean) {
    const token: HeldToken = { ...grant, refreshAt: refreshTimeOf(grant, window, random) };
    access = token;
    if (share) post({ v: 1, type: "token", ...wire(token) });
    // A peer signed in while this tab was running a device flow of its own: that one is moot.
    if (!share) deviceFlow?.abort();
    schedule(token.refreshAt);
    holder.set({ kind: "signed-in", expiresAt: token.expiresAt, refreshAt: token.refreshAt });
  }

  function schedule(at: number) {
    cancelTimer();
    const delay = at - clock.now();
    // Browsers run a timer of more than 2^31 - 1 ms (24.8 days) at once: wait in daily steps instead.
    cancelTimer = delay > DAY_MS ? clock.setTimer(DAY_MS, () => schedule(at)) : clock.setTimer(Math.max(0, delay), () => kick());
  }

  function post(message: AuthMessage) {
    if (!closed) channel?.post(message);
  }

  /** Starts this tab's turn under the lock unless one is under way. */
  function kick() {
    if (closed || work) return;
    const turn = lock.run(() => underLock(), closing.signal).catch((error: unknown) => {
      if (!closed) logger.error("sign-in: unexpected failure", { error: error instanceof Error ? error.name : "unknown" });
    });
    work = turn.finally(() => (work = undefined));
  }

  async function underLock(): Promise<void> {
    if (closed) return;
    // A peer's token may have arrived while this tab waited for the lock.
    if (access && clock.now() < access.refreshAt) return;
    const stored = unsaved ?? (await loadStored());
    if (closed) return;
    if (stored && (!access || stored.generation > access.generation) && (await tokenFromPeers(stored.generation))) return;
    if (stored) {
      const renewed = await renew(stored);
      if (renewed !== "signed-out") return;
    }
    await deviceSignIn();
  }

  async function loadStored(): Promise<StoredSignIn | undefined> {
    try {
      return await store.load();
    } catch (error) {
      logger.warn("sign-in: cannot read the stored sign-in; signing in afresh", { error: error instanceof Error ? error.name : "unknown" });
      return undefined;
    }
  }

  /** Asks the other tabs for a token that came with `generation` or later; true once one arrived. */
  async function tokenFromPeers(generation: number): Promise<boolean> {
    const arrived = () => access !== undefined && access.generation >= generation && usable() !== undefined;
    if (arrived()) return true;
    post({ v: 1, type: "hello" });
    const deadline = clock.now() + peerWaitMs;
    while (!arrived() && !closed && clock.now() < deadline) await holder.nextChange(deadline - clock.now());
    return arrived();
  }

  async function renew(stored: StoredSignIn): Promise<"renewed" | "retry-later" | "signed-out"> {
    const outcome = await endpoint.refresh(endpoints.tokenUrl, endpoints.clientId, stored.refreshToken);
    if (closed) return "retry-later";
    if (outcome.kind === "ok") {
      const grant = outcome.value;
      const generation = grant.refreshToken === undefined ? stored.generation : await keep(grant.refreshToken, stored.generation);
      retry.reset();
      logger.info("sign-in: renewed", { generation, expiresInS: Math.round((grant.expiresAt - grant.issuedAt) / 1000) });
      adopt({ ...tokenFields(grant), generation }, true);
      return "renewed";
    }
    if (outcome.kind === "refused" && outcome.error === "invalid_grant") {
      // Revoked, expired, or spent: the sign-in is over. Forget it everywhere; a person must approve a new code.
      logger.warn("sign-in: renewal refused (invalid_grant); signing in afresh");
      await forget();
      post({ v: 1, type: "signed-out" });
      return "signed-out";
    }
    // Anything else may pass (network, server trouble) or needs an administrator (invalid_client):
    // keep the sign-in and try again later; the last access token serves until it expires.
    if (outcome.kind === "refused") retry.toRefused();
    const delay = retry.next();
    const problem: AuthProblem = { code: outcome.kind === "refused" ? outcome.error : "network", message: outcome.message, at: clock.now() };
    logger.warn("sign-in: renewal failed; trying again", { code: problem.code, retryInS: Math.round(delay / 1000) });
    const nextAttemptAt = clock.now() + delay;
    holder.set({ kind: "refresh-failed", expiresAt: access?.expiresAt ?? clock.now(), nextAttemptAt, problem });
    // Our token's refreshAt has passed, so the next turn will not take it for fresh.
    schedule(nextAttemptAt);
    return "retry-later";
  }

  /** Stores a rotated refresh token; if the store fails, keeps it in memory for this tab's next renewal. */
  async function keep(refreshToken: string, previousGeneration: number): Promise<number> {
    try {
      const generation = await store.save(refreshToken);
      unsaved = undefined;
      return generation;
    } catch (error) {
      logger.error("sign-in: cannot store the renewed sign-in; a restart will need a new sign-in", {
        error: error instanceof Error ? error.name : "unknown",
      });
      unsaved = { refreshToken, generation: previousGeneration + 1 };
      return unsaved.generation;
    }
  }

  async function forget() {
    access = undefined;
    unsaved = undefined;
    cancelTimer();
    try {
      await store.clear();
    } catch (error) {
      logger.warn("sign-in: cannot clear the stored sign-in", { error: error instanceof Error ? error.name : "unknown" });
    }
  }

  async function deviceSignIn() {
    const flow = new AbortController();
    const stop = () => flow.abort();
    closing.signal.addEventListener("abort", stop, { once: true });
    deviceFlow = flow;
    try {
      const grant = await signInWithDeviceCode({
        endpoint,
        ...endpoints,
        clock,
        random,
        logger,
        signal: flow.signal,
        onProgress(progress) {
          if (progress.kind === "requesting-code") {
            holder.set({ kind: "signing-in", ...(progress.problem && { problem: progress.problem }), ...(progress.nextAttemptAt && { nextAttemptAt: progress.nextAttemptAt }) });
            return;
          }
          const { code } = progress;
          holder.set({ kind: "waiting-for-user", ...code, ...(progress.problem && { problem: progress.problem }) });
          post({ v: 1, type: "sign-in", ...code });
        },
      });
      if (!grant || closed || flow.signal.aborted) return;
      // Without a refresh token (a client not allowed to renew) the next sign-in is a person's again.
      const generation = grant.refreshToken === undefined ? 0 : await keep(grant.refreshToken, 0);
      adopt({ ...tokenFields(grant), generation }, true);
    } finally {
      closing.signal.removeEventListener("abort", stop);
      if (deviceFlow === flow) deviceFlow = undefined;
    }
  }

  function onMessage(message: AuthMessage) {
    if (closed) return;
    switch (message.type) {
      case "hello": {
        const token = usable();
        if (token) post({ v: 1, type: "token", ...wire(token) });
        else if (deviceFlow && holder.state.kind === "waiting-for-user") {
          const { userCode, verificationUri, verificationUriComplete, expiresAt } = holder.state;
          post({ v: 1, type: "sign-in", userCode, verificationUri, verificationUriComplete, expiresAt });
        }
        return;
      }
      case "token": {
        const newer = !access || message.generation > access.generation || (message.generation === access.generation && message.expiresAt > access.expiresAt);
        if (newer && isUsable(message, clock.now())) adopt(message, false);
        return;
      }
      case "sign-in":
        // Another tab runs the device flow: show its code while this tab waits its turn.
        if (!deviceFlow && !usable()) {
          const { userCode, verificationUri, verificationUriComplete, expiresAt } = message;
          holder.set({ kind: "waiting-for-user", userCode, verificationUri, verificationUriComplete, expiresAt });
        }
        return;
      case "signed-out":
        access = undefined;
        unsaved = undefined;
        cancelTimer();
        if (!deviceFlow) holder.set({ kind: "signing-in" });
        // Queue for the lock: the tab that ended the sign-in shows a new code, or this one will.
        kick();
        return;
    }
  }

  return {
    get state() {
      return holder.state;
    },

    subscribe: (listener) => holder.subscribe(listener),

    start() {
      if (started || closed) return;
      started = true;
      channel = platform.openChannel(onMessage);
      holder.set({ kind: "starting" });
      // Ask at once: by the time the store is read, a peer's token may be here.
      post({ v: 1, type: "hello" });
      kick();
    },

    async getToken(server) {
      if (closed || (server !== undefined && tuning.servers !== undefined && !tuning.servers.includes(server))) return undefined;
      const deadline = clock.now() + getTokenWaitMs;
      for (;;) {
        const token = usable();
        if (token || closed) return token?.accessToken;
        const kind = holder.state.kind;
        // Only a start-up or a renewal can bring a token soon; a person approving a code cannot.
        if (!(kind === "starting" || kind === "signed-in") || clock.now() >= deadline) return undefined;
        // Signed in but the token is past use: the renewal timer is late (a device that slept). Renew now.
        if (kind === "signed-in") kick();
        await holder.nextChange(deadline - clock.now());
      }
    },

    async signOut() {
      if (closed) return;
      deviceFlow?.abort();
      access = undefined;
      cancelTimer();
      await lock.run(() => forget(), closing.signal).catch(() => undefined);
      post({ v: 1, type: "signed-out" });
      holder.set({ kind: "signed-out" });
      logger.info("sign-in: signed out");
      if (started) kick();
    },

    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      cancelTimer();
      access = undefined;
      channel?.close();
      holder.set({ kind: "signed-out" });
      holder.close();
      // Not awaiting `work`: a request in flight may take long; its answer is ignored.
    },
  };
}

function tokenFields(grant: TokenGrant): Omit<HeldToken, "refreshAt" | "generation"> {
  return { accessToken: grant.accessToken, issuedAt: grant.issuedAt, expiresAt: grant.expiresAt, refreshExpiresAt: grant.refreshExpiresAt };
}

function wire(token: HeldToken) {
  return {
    accessToken: token.accessToken,
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    refreshExpiresAt: token.refreshExpiresAt,
    generation: token.generation,
  };
}
