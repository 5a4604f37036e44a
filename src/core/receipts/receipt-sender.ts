import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { Publication_Audience_Receipt, type PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import { createBackoff, type BackoffOptions } from "../backoff.js";
import type { Clock } from "../clock.js";
import { toCacheError } from "../error-policy.js";
import { InterruptibleWaits } from "../interruptible-waits.js";
import { silentLogger, type Logger } from "../logger.js";
import type { RandomSource } from "../random.js";
import { receiptKey, type OutboxEntry, type ReceiptOutbox, type ReceiptRequest } from "./receipt-outbox.js";

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
 * - PERMISSION_DENIED → `refused`, shown, and tried again only with new
 *   credentials; UNAUTHENTICATED → waits for new credentials.
 * - A newer acknowledgement of the same publication replaces a pending one.
 */
export interface ReceiptSender {
  /** Queues an acknowledgement (once per device × id × version × publish time × receipt); resolves once recorded. */
  request(request: ReceiptRequest): Promise<void>;
  /** Every acknowledgement known, for diagnostics. */
  entries(): readonly OutboxEntry[];
  /** Called whenever an entry changes; returns the function that stops listening. */
  onChange(listener: () => void): () => void;
  /** The network is back: retry now. */
  wake(): void;
  /** New credentials: retry refused and waiting acknowledgements now. */
  credentialsChanged(): void;
  close(): void;
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
      await send(next);
    }
  }

  async function send(entry: OutboxEntry): Promise<void> {
    const fields = { device: entry.device, id: entry.id, version: entry.version, receipt: entry.receipt };
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
          logger.warn("acknowledgement refused", fields);
          set({ ...entry, status: "refused", updatedAt: clock.now(), lastError });
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
      // A newer word about the same publication replaces what was still waiting.
      for (const entry of [...entries.values()]) {
        if (entry.status === "pending" && entry.device === request.device && entry.id === request.id) drop(entry.key);
      }
      set({ ...request, key, status: "pending", updatedAt: clock.now() });
      kick?.();
    },
    entries: () => [...entries.values()],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake() {
      waits.interrupt(["backoff"]);
    },
    credentialsChanged() {
      for (const entry of [...entries.values()]) {
        if (entry.status === "refused") set({ ...withoutError(entry), status: "pending", updatedAt: clock.now() });
      }
      waits.interrupt(["backoff", "auth"]);
      kick?.();
    },
    close() {
      lifetime.abort();
      listeners.clear();
    },
  };
}

function withoutError(entry: OutboxEntry): OutboxEntry {
  const { lastError: _dropped, ...rest } = entry;
  return rest;
}
