import type { Client } from "@connectrpc/connect";
import type { BackoffOptions } from "../core/backoff.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import type { OutboxEntry, ReceiptOutbox, ReceiptRequest } from "../core/receipts/receipt-outbox.js";
import { createReceiptSender, type ReceiptRefusal, type ReceiptSender } from "../core/receipts/receipt-sender.js";
import type { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";

/** The host's acknowledgements: one sender per server, created when first needed. */
export interface ReceiptHub {
  request(server: string, request: ReceiptRequest): Promise<void>;
  /** Every acknowledgement known for `server` (diagnostics). */
  entries(server: string): readonly OutboxEntry[];
  /** Set while `server`'s access policy refuses this host's acknowledgements (none is sent until the credentials change). */
  refusal(server: string): ReceiptRefusal | undefined;
  /** Servers that have (or had) acknowledgements, including those only in the outbox. */
  servers(): readonly string[];
  /** Called with the server whose acknowledgements changed. */
  onChange(listener: (server: string) => void): void;
  /** Starts the senders of servers whose outbox still holds something (after a restart). */
  resume(): Promise<void>;
  wake(): void;
  /** New credentials for `server` (another sign-in or account): acknowledgements it refused are tried again, once. */
  credentialsChanged(server: string): void;
  close(): void;
}

export interface ReceiptHubOptions {
  /** The client of a server (the host's, with its token interceptor). */
  readonly clientFor: (server: string) => Client<typeof PublicationApi>;
  /** Where a server's acknowledgements wait (IndexedDB in browsers). */
  readonly outboxFor: (server: string) => ReceiptOutbox;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger?: Logger;
  readonly backoff?: BackoffOptions;
  /** Servers with something in their outbox (so a restarted host sends what waits). */
  readonly storedServers?: () => Promise<readonly string[]>;
}

/** Creates a {@link ReceiptHub}; see the core's `createReceiptSender` for what each sender does. */
export function createReceiptHub(options: ReceiptHubOptions): ReceiptHub {
  const senders = new Map<string, ReceiptSender>();
  const listeners = new Set<(server: string) => void>();
  const senderFor = (server: string) => {
    let sender = senders.get(server);
    if (!sender) {
      sender = createReceiptSender({
        client: options.clientFor(server),
        outbox: options.outboxFor(server),
        clock: options.clock,
        random: options.random,
        ...(options.logger && { logger: options.logger }),
        ...(options.backoff && { backoff: options.backoff }),
      });
      sender.onChange(() => {
        for (const listener of listeners) listener(server);
      });
      senders.set(server, sender);
    }
    return sender;
  };
  return {
    request: (server, request) => senderFor(server).request(request),
    entries: (server) => senders.get(server)?.entries() ?? [],
    refusal: (server) => senders.get(server)?.refusal(),
    servers: () => [...senders.keys()],
    onChange: (listener) => void listeners.add(listener),
    async resume() {
      for (const server of (await options.storedServers?.()) ?? []) senderFor(server);
    },
    wake() {
      for (const sender of senders.values()) sender.wake();
    },
    credentialsChanged: (server) => senders.get(server)?.credentialsChanged(),
    close() {
      for (const sender of senders.values()) sender.close();
      senders.clear();
      listeners.clear();
    },
  };
}
