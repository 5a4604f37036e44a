import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import { randomId } from "../platform/random-id.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";
import { idbLeaseStore, type LeaseStore } from "./leader-lease-store.js";
import { leaseChannelName, parseLeaseMessage, type LeaseMessage } from "../protocol/lease-messages.js";

/**
 * How often the leader renews its lease. Chromium runs a hidden tab's timers
 * at most once a second, on whole seconds, so a renewal due in 1 s comes
 * 1–2 s later in a background tab (about 1 s in a visible one).
 */
export const LEASE_RENEW_MS = 1_000;
/**
 * How long a lease lives unrenewed. 3 s outlasts a renewal late by a
 * throttled second plus a slow transaction, so a healthy leader, even in a
 * background tab, keeps it (no flapping); and a hung or crashed leader loses
 * it at most 3 s after it last renewed. Followers try at expiry plus up to
 * {@link ATTEMPT_JITTER_MS}, a background follower up to 1 s later still:
 * leadership moves within ~4.2 s and one transaction, under the 5 s we
 * promise. A clean close does not wait for any of this: it says "released".
 *
 * Not covered: a tab hidden for over 5 minutes gets Chromium's intensive
 * throttling (timers once a minute). A hidden leader then loses the lease to
 * a visible follower, once, and hears of it at once (messages are not
 * throttled); with every tab hidden the lease may change hands at those
 * minutely wake-ups — one host still, its stream reopened by the next.
 */
export const LEASE_TTL_MS = 3_000;
/** Spreads the followers' claims at an expiry, so they do not all queue on the record at once. */
const ATTEMPT_JITTER_MS = 200;

/** One end of the lease's BroadcastChannel (a seam for tests). */
export interface LeaseChannel {
  post(message: LeaseMessage): void;
  close(): void;
}

/** Where `pagehide` and `pageshow` come from: the window (a seam for tests). */
export type PageLifecycle = Pick<EventTarget, "addEventListener" | "removeEventListener">;

export interface LeaderLeaseOptions {
  /** The lease's name: one leader per name (`leaderLockName(databaseName)`). */
  readonly name: string;
  /** Default the global `indexedDB`. Without any, no tab can agree with another: this one leads alone. */
  readonly factory?: IDBFactory | null;
  /** Default a BroadcastChannel named by {@link leaseChannelName}. */
  readonly openChannel?: (name: string, onMessage: (data: unknown) => void) => LeaseChannel;
  /** Default the global object (the window); `null`: none. */
  readonly lifecycle?: PageLifecycle | null;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** This tab's id in the lease record; default random. */
  readonly holderId?: string;
  /** Default {@link LEASE_RENEW_MS}. */
  readonly renewMs?: number;
  /** Default {@link LEASE_TTL_MS}. */
  readonly ttlMs?: number;
  readonly logger?: Logger;
}

/**
 * Leader election without Web Locks (a page that is not a secure context has
 * no `navigator.locks`): a lease record in IndexedDB, taken by
 * compare-and-set (see {@link idbLeaseStore}), renewed by its holder every
 * second and announced on a BroadcastChannel.
 *
 * Runs `lead` whenever this tab holds the lease. `lead(lost)` must stop
 * hosting and return as soon as `lost` aborts: another tab holds the lease
 * (we were hung or throttled past its expiry, then woke), the page is hidden
 * for good (`pagehide`), or `signal` aborted. A leader that hears another
 * holder announce itself steps down at once, without asking the database,
 * so two hosts never run for longer than a message takes.
 *
 * Takeover: a clean close (`pagehide`, `signal`) releases the lease and says
 * so on the channel, and a follower claims it at once; a crashed or hung
 * leader stops renewing and a follower claims it at expiry.
 *
 * Resolves once `signal` aborted and the lease is let go, or, like a Web
 * Lock's request, once `lead` returned or threw by itself (then rejects).
 */
export function holdLeaderLease(options: LeaderLeaseOptions, signal: AbortSignal, lead: (lost: AbortSignal) => Promise<void>): Promise<void> {
  const factory = options.factory === undefined ? globalThis.indexedDB : options.factory;
  if (!factory) {
    (options.logger ?? silentLogger).warn("no IndexedDB: leader election impossible, this tab leads alone");
    return lead(signal);
  }
  return new LeaderLease(options, factory, signal, lead).done;
}

type State = "follower" | "leader" | "paused" | "closed";
/** Why `lead` ended by itself, when it threw. */
type Failure = { readonly error: unknown };

const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

class LeaderLease {
  readonly done: Promise<void>;
  private finish!: (failure?: Failure) => void;
  private state: State = "follower";
  private readonly holder: string;
  private readonly store: LeaseStore;
  private readonly channel: LeaseChannel;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly logger: Logger;
  private readonly lifecycle: PageLifecycle | undefined;
  private readonly renewMs: number;
  private readonly ttlMs: number;
  private cancelTimer: () => void = () => {};
  /** The lease's transactions, one after the other. */
  private ops: Promise<void> = Promise.resolve();
  /** While leading: the term's abort, the end of our lease. */
  private lost: AbortController | undefined;
  private expiresAt = 0;
  private leading: Promise<void> = Promise.resolve();

  constructor(
    options: LeaderLeaseOptions,
    factory: IDBFactory,
    signal: AbortSignal,
    private readonly lead: (lost: AbortSignal) => Promise<void>,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = (failure) => (failure ? reject(toError(failure.error)) : resolve());
    });
    this.holder = options.holderId ?? randomId();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    this.logger = options.logger ?? silentLogger;
    this.renewMs = options.renewMs ?? LEASE_RENEW_MS;
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.store = idbLeaseStore({ name: options.name, factory, clock: this.clock });
    const openChannel = options.openChannel ?? openBroadcastChannel;
    this.channel = openChannel(leaseChannelName(options.name), (data) => this.onMessage(data));
    const lifecycle = options.lifecycle === undefined ? globalThis : options.lifecycle;
    this.lifecycle = typeof lifecycle?.addEventListener === "function" ? lifecycle : undefined;
    this.lifecycle?.addEventListener("pagehide", this.onPageHide);
    this.lifecycle?.addEventListener("pageshow", this.onPageShow);
    if (signal.aborted) void this.close();
    else {
      signal.addEventListener("abort", () => void this.close(), { once: true });
      this.attempt();
    }
  }

  private setTimer(ms: number, callback: () => void) {
    this.cancelTimer();
    this.cancelTimer = this.clock.setTimer(Math.max(0, ms), callback);
  }

  /** Runs one transaction after the others; a failure is logged and handed to `onError`. */
  private serial(op: () => Promise<void>, onError: (error: unknown) => void = () => {}): Promise<void> {
    this.ops = this.ops.then(op).catch((error: unknown) => {
      this.logger.warn("leader lease: transaction failed", { error: String(error) });
      onError(error);
    });
    return this.ops;
  }

  /** Follower: claim the lease now (`freed`: a holder that said it let go). */
  private attempt(freed?: string) {
    this.cancelTimer();
    void this.serial(
      async () => {
        if (this.state !== "follower") return;
        const record = await this.store.claim(this.holder, this.ttlMs, freed);
        const ours = record.holder === this.holder;
        if (this.state === "follower") {
          if (ours) this.becomeLeader(record.expiresAt);
          else this.waitFor(record.expiresAt);
        } else if (ours) {
          // Paused or closed meanwhile: give back what we just took.
          await this.store.release(this.holder);
          this.channel.post({ v: 1, type: "released", holder: this.holder });
        }
      },
      () => {
        if (this.state === "follower") this.setTimer(this.renewMs, () => this.attempt());
      },
    );
  }

  /** Follower: try again when the holder's lease would expire (capped: a record far in the future is suspect). */
  private waitFor(expiresAt: number) {
    const wait = Math.min(expiresAt - this.clock.now(), this.ttlMs) + this.random() * ATTEMPT_JITTER_MS;
    this.setTimer(wait, () => this.attempt());
  }

  private becomeLeader(expiresAt: number) {
    this.state = "leader";
    this.expiresAt = expiresAt;
    this.channel.post({ v: 1, type: "held", holder: this.holder, expiresAt });
    this.setTimer(this.renewMs, () => this.renew());
    const lost = new AbortController();
    this.lost = lost;
    const ended = (failure?: Failure) => {
      if (lost.signal.aborted) {
        if (failure) this.logger.warn("leader lease: the leader did not stop cleanly", { error: String(failure.error) });
        return;
      }
      // `lead` ended by itself: the candidacy ends, as a Web Lock's request would.
      void this.close(failure);
    };
    // A term starts only once the previous one has stopped hosting.
    this.leading = this.leading
      .then(() => (lost.signal.aborted ? undefined : this.lead(lost.signal)))
      .then(
        () => ended(),
        (error: unknown) => ended({ error }),
      );
  }

  private renew() {
    void this.serial(
      async () => {
        if (this.state !== "leader") return;
        const record = await this.store.claim(this.holder, this.ttlMs);
        if (this.state !== "leader") return;
        if (record.holder !== this.holder) {
          this.logger.warn("leader lease: taken by another tab while this one was not renewing; stepping down", { holder: record.holder });
          this.stepDown();
          this.waitFor(record.expiresAt);
          return;
        }
        this.expiresAt = record.expiresAt;
        this.channel.post({ v: 1, type: "held", holder: this.holder, expiresAt: record.expiresAt });
        this.setTimer(this.renewMs, () => this.renew());
      },
      () => {
        if (this.state !== "leader") return;
        // Still ours until it expires; past that another tab may hold it.
        if (this.clock.now() < this.expiresAt) this.setTimer(this.renewMs, () => this.renew());
        else {
          this.stepDown();
          this.setTimer(this.renewMs, () => this.attempt());
        }
      },
    );
  }

  /** Leader → follower: stop hosting now. */
  private stepDown() {
    if (this.state !== "leader") return;
    this.state = "follower";
    this.cancelTimer();
    this.lost?.abort();
  }

  private onMessage(data: unknown) {
    const message = parseLeaseMessage(data);
    if (!message || message.holder === this.holder) return;
    if (message.type === "held") {
      if (this.state === "leader") {
        this.logger.warn("leader lease: another tab holds the lease; stepping down", { holder: message.holder });
        this.stepDown();
      }
      if (this.state === "follower") this.waitFor(message.expiresAt);
    } else if (this.state === "follower") {
      this.attempt(message.holder);
    }
  }

  // The tab is going away (or into the back/forward cache): let go at once.
  // The message goes before anything asynchronous, which may never run now.
  private readonly onPageHide = () => {
    if (this.state === "closed") return;
    const wasLeader = this.state === "leader";
    this.state = "paused";
    this.cancelTimer();
    if (!wasLeader) return;
    this.channel.post({ v: 1, type: "released", holder: this.holder });
    this.lost?.abort();
    void this.serial(() => this.store.release(this.holder));
  };

  // Back from the back/forward cache: stand again.
  private readonly onPageShow = () => {
    if (this.state !== "paused") return;
    this.state = "follower";
    this.attempt();
  };

  private async close(failure?: Failure) {
    if (this.state === "closed") return;
    const wasLeader = this.state === "leader";
    this.state = "closed";
    this.cancelTimer();
    this.lifecycle?.removeEventListener("pagehide", this.onPageHide);
    this.lifecycle?.removeEventListener("pageshow", this.onPageShow);
    this.lost?.abort();
    // Stop hosting first, then let go: never two hosts.
    await this.leading;
    if (wasLeader) {
      await this.serial(() => this.store.release(this.holder));
      this.channel.post({ v: 1, type: "released", holder: this.holder });
    } else {
      await this.ops;
    }
    this.channel.close();
    this.store.close();
    this.finish(failure);
  }
}

function openBroadcastChannel(name: string, onMessage: (data: unknown) => void): LeaseChannel {
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: MessageEvent<unknown>) => onMessage(event.data);
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
}
