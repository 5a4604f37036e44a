import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { Publication_Audience_Receipt, type PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import { createBackoff, type BackoffOptions } from "../backoff.js";
import type { Clock } from "../clock.js";
import { toCacheError } from "../error-policy.js";
import { InterruptibleWaits } from "../interruptible-waits.js";
import { silentLogger, type Logger } from "../logger.js";
import type { RandomSource } from "../random.js";
import { receiptKey, type OutboxEntry, type ReceiptOutbox, type ReceiptRequest } from "./receipt-outbox.js";
import type { CacheError } from "../cache-types.js";

export interface ReceiptSenderOptions {
  /** A PublicationApi client of the server the acknowledgements go to. */
  readonly client: Client<typeof PublicationApi>;
  readonly outbox: ReceiptOutbox;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger?: Logger;
  /** Retries of a server that cannot be reached. Default the cache's: 10 s doubling, jittered. */
  readonly backoff?: BackoffOptions;
  /** Each call gives up after this long. Default 30 s. */
  readonly callTimeoutMs?: number;
  /** How long a sent acknowledgement is remembered, so it is never sent twice. Default 7 days. */
  readonly keepSentMs?: number;
}

/**
 * Sends a screen's acknowledgements (AcknowledgePublication) to one server:
 * each once, in order, surviving restarts through the outbox, and never in a
 * storm.
 * - Always an explicit receipt with `allow_acknowledged` (database-backed
 *   servers require the receipt; a repeat is then not an error).
 * - The server is unreachable → kept and retried with jittered backoff.
 * - The version moved on (FAILED_PRECONDITION, ABORTED) or the publication
 *   is gone (NOT_FOUND) → the stale acknowledgement is dropped.
 * - PERMISSION_DENIED → the server's access policy refuses this sign-in
 *   every acknowledgement (a read-only account): the sender stops — what
 *   waits, and whatever is asked for later, is recorded `refused` without a
 *   call — until `credentialsChanged`, which tries once more.
 *   UNAUTHENTICATED → waits for new credentials.
 * - A newer acknowledgement of the same publication replaces a pending one.
 */
export interface ReceiptSender {
  /** Queues an acknowledgement (once per device × id × version × publish time × receipt); resolves once recorded. */
  request(request: ReceiptRequest): Promise<void>;
  /** Every acknowledgement known, for diagnostics. */
  entries(): readonly OutboxEntry[];
  /** Set while the server's access policy refuses acknowledgements (nothing is sent until the credentials change). */
  refusal(): ReceiptRefusal | undefined;
  /** Called whenever an entry changes; returns the function that stops listening. */
  onChange(listener: () => void): () => void;
  /** The network is back: retry now. */
  wake(): void;
  /** New credentials: retry refused and waiting acknowledgements now. */
  credentialsChanged(): void;
  close(): void;
}

/** The server refused an acknowledgement by its access policy (PERMISSION_DENIED); it will refuse every other one with these credentials. */
export interface ReceiptRefusal {
  /** When the refusal came (clock ms). */
  readonly since: number;
  readonly error: CacheError;
}

const DAY_MS = 24 * 60 * 60_000;

export function createReceiptSender(options: ReceiptSenderOptions): ReceiptSender {
  const { client, outbox, clock } = options;
  const logger = options.logger ?? silentLogger;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const keepSentMs = options.keepSentMs ?? 7 * DAY_MS;
  const backoff = createBackoff(options.backoff, options.random);
  const waits = new InterruptibleWaits(clock);
  const lifetime = new AbortController();
  const entries = new Map<string, OutboxEntry>();
  const listeners = new Set<() => void>();
  let kick: (() => void) | undefined;
  let running = false;
  let refusal: ReceiptRefusal | undefined;
  // Counts credential changes: a refusal answered to a call made with older credentials says nothing of the new ones.
  let credentialsGeneration = 0;

  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const persist = (work: Promise<void>) =>
    void work.catch((error: unknown) => logger.warn("receipt outbox write failed", { error: String(error) }));
  const set = (entry: OutboxEntry) => {
    entries.set(entry.key, entry);
    persist(outbox.put(entry));
    changed();
  };
  const drop = (key: string) => {
    if (!entries.delete(key)) return;
    persist(outbox.delete(key));
    changed();
  };

  const ready = outbox.list().then(
    (stored) => {
      const now = clock.now();
      for (const entry of stored) {
        if (entry.status === "sent" && now - entry.updatedAt > keepSentMs) persist(outbox.delete(entry.key));
        else if (!entries.has(entry.key)) entries.set(entry.key, entry);
      }
      // A host that restarts keeps its word: refused before, refused now, until credentials arrive.
      refusal ??= latestPolicyRefusal(entries.values());
      if (stored.length > 0) changed();
      run();
    },
    (error: unknown) => logger.warn("receipt outbox could not be read", { error: String(error) }),
  );

  function run() {
    if (running || lifetime.signal.aborted) return;
    running = true;
    void loop().finally(() => (running = false));
  }

  async function loop(): Promise<void> {
    while (!lifetime.signal.aborted) {
      const next = [...entries.values()].filter((e) => e.status === "pending").sort((a, b) => a.updatedAt - b.updatedAt)[0];
      if (!next) {
        await new Promise<void>((resolve) => {
          kick = resolve;
          lifetime.signal.addEventListener("abort", () => resolve(), { once: true });
        });
        kick = undefined;
        continue;
      }
      // Asked for before a restored refusal was known: recorded as refused, not sent.
      if (refusal) refuse(next, refusal.error);
      else await send(next);
    }
  }

  /** Records `entry` as refused by the policy, without a call. */
  const refuse = (entry: OutboxEntry, error: CacheError) =>
    set({ ...entry, status: "refused", updatedAt: clock.now(), lastError: error });

  async function send(entry: OutboxEntry): Promise<void> {
    const fields = { device: entry.device, id: entry.id, version: entry.version, receipt: entry.receipt };
    const generation = credentialsGeneration;
    try {
      await client.acknowledgePublication(
        {
          name: entry.device,
          id: entry.id,
          version: entry.version,
          receipt: entry.receipt === "accepted" ? Publication_Audience_Receipt.ACCEPTED : Publication_Audience_Receipt.REJECTED,
          receiptRejectedReason: entry.receipt === "rejected" ? (entry.reason ?? "") : "",
          allowAcknowledged: true,
        },
        { signal: lifetime.signal, timeoutMs: callTimeoutMs },
      );
      backoff.reset();
      logger.info("acknowledged", fields);
      if (entries.get(entry.key) === entry) set({ ...withoutError(entry), status: "sent", updatedAt: clock.now() });
      return;
    } catch (error) {
      if (lifetime.signal.aborted) return;
      const code = error instanceof ConnectError ? error.code : undefined;
      const lastError = toCacheError(error, clock.now());
      switch (code) {
        case Code.FailedPrecondition:
        case Code.Aborted:
        case Code.NotFound:
        case Code.InvalidArgument:
        case Code.Unimplemented:
          logger.info("acknowledgement dropped: the server will not take it", { ...fields, code: lastError.code });
          drop(entry.key);
          return;
        case Code.PermissionDenied:
          // Sent with credentials that have changed since: the new ones have not been asked.
          if (generation !== credentialsGeneration) return;
          logger.warn("acknowledgements refused by the server's access policy: none is sent until the credentials change", fields);
          refusal = { since: clock.now(), error: lastError };
          if (entries.get(entry.key) === entry) refuse(entry, lastError);
          for (const waiting of [...entries.values()]) if (waiting.status === "pending") refuse(waiting, lastError);
          return;
        case Code.Unauthenticated:
          set({ ...entry, lastError });
          backoff.toRefused();
          await waits.wait(backoff.next(), "auth", lifetime.signal);
          return;
        default:
          set({ ...entry, lastError });
          await waits.wait(backoff.next(), "backoff", lifetime.signal);
      }
    }
  }

  return {
    async request(request) {
      await ready;
      if (lifetime.signal.aborted) return;
      const key = receiptKey(request);
      if (entries.has(key)) return;
      // A newer word about the same publication replaces what was still waiting (or refused).
      for (const entry of [...entries.values()]) {
        if (entry.status !== "sent" && entry.device === request.device && entry.id === request.id) drop(entry.key);
      }
      const entry: OutboxEntry = { ...request, key, status: "pending", updatedAt: clock.now() };
      if (refusal) {
        refuse(entry, refusal.error);
        return;
      }
      set(entry);
      kick?.();
    },
    entries: () => [...entries.values()],
    refusal: () => refusal,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake() {
      waits.interrupt(["backoff"]);
    },
    credentialsChanged() {
      credentialsGeneration += 1;
      // After the outbox is read: a refusal restored from it is one these credentials have not met.
      void ready.then(() => {
        if (lifetime.signal.aborted) return;
        const wasRefused = refusal !== undefined;
        refusal = undefined;
        if (wasRefused) changed();
        for (const entry of [...entries.values()]) {
          if (entry.status === "refused") set({ ...withoutError(entry), status: "pending", updatedAt: clock.now() });
        }
        waits.interrupt(["backoff", "auth"]);
        kick?.();
      });
    },
    close() {
      lifetime.abort();
      listeners.clear();
    },
  };
}

/** The newest policy refusal among stored entries, if any. */
function latestPolicyRefusal(stored: Iterable<OutboxEntry>): ReceiptRefusal | undefined {
  let latest: ReceiptRefusal | undefined;
  for (const entry of stored) {
    if (entry.status !== "refused" || entry.lastError?.code !== "permission_denied") continue;
    if (!latest || entry.updatedAt > latest.since) latest = { since: entry.updatedAt, error: entry.lastError };
  }
  return latest;
}

function withoutError(entry: OutboxEntry): OutboxEntry {
  const { lastError: _dropped, ...rest } = entry;
  return rest;
}
