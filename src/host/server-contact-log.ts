import type { Clock } from "../core/clock.js";
import { MAX_SERVER_CONTACTS, type ServerContact } from "../protocol/messages.js";

/** Where the contacts survive a reload or a reboot (the host's IndexedDB); tests pass a memory one. */
export interface ServerContactStore {
  load(): Promise<readonly ServerContact[]>;
  save(contact: ServerContact): Promise<void>;
}

/**
 * When the host last heard each server — any successful response or stream
 * message — and whether it has lost it since: the one time every screen
 * says "Offline since". Kept in memory, told to pages at most once a second
 * while a server keeps answering (a busy stream must not flood the channel)
 * and at once when it is lost or found again, and stored — at a loss, and
 * at most every {@link SAVE_EVERY_MS} while heard — so a reload or a reboot
 * during an outage never moves "Offline since" later. Platform-free: the
 * transport reports to it (contact-interceptor.ts).
 */
export interface ServerContactLog {
  /** `server` answered at `at`. */
  heard(server: string, at: number): void;
  /** A call to `server` failed for want of a connection at `at` (not a refusal: that is an answer). */
  lost(server: string, at: number): void;
  /** Reads what was stored (a restarted host); a stored time never replaces a newer one. */
  restore(): Promise<void>;
  /** One entry per server, the most recent news last. */
  entries(): readonly ServerContact[];
  /** Called when pages should hear of a change; returns the function that stops listening. */
  onChange(listener: () => void): () => void;
}

/** How often pages hear that a server still answers. */
export const NOTIFY_EVERY_MS = 1_000;
/** How often a server that still answers is stored (a power cut then understates freshness by at most this). */
export const SAVE_EVERY_MS = 15_000;

export function createServerContactLog(options: { readonly clock: Clock; readonly store?: ServerContactStore; readonly onError?: (error: unknown) => void }): ServerContactLog {
  const byServer = new Map<string, ServerContact>();
  const notifiedAt = new Map<string, number>();
  const savedAt = new Map<string, number>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const save = (contact: ServerContact) => {
    savedAt.set(contact.server, options.clock.now());
    void options.store?.save(contact).catch((error: unknown) => options.onError?.(error));
  };
  const set = (contact: ServerContact) => {
    byServer.delete(contact.server);
    byServer.set(contact.server, contact);
    while (byServer.size > MAX_SERVER_CONTACTS) byServer.delete(byServer.keys().next().value!);
  };
  return {
    heard(server, at) {
      const known = byServer.get(server);
      if (known?.heardAt !== undefined && known.heardAt >= at && known.lostAt === undefined) return;
      const wasLost = known?.lostAt !== undefined;
      const contact: ServerContact = { server, heardAt: Math.max(at, known?.heardAt ?? at) };
      set(contact);
      const now = options.clock.now();
      if (wasLost || now - (savedAt.get(server) ?? Number.NEGATIVE_INFINITY) >= SAVE_EVERY_MS) save(contact);
      if (wasLost || known === undefined || now - (notifiedAt.get(server) ?? Number.NEGATIVE_INFINITY) >= NOTIFY_EVERY_MS) {
        notifiedAt.set(server, now);
        notify();
      }
    },
    lost(server, at) {
      const known = byServer.get(server);
      // The first failure counts: retries during the outage must not move it.
      if (known?.lostAt !== undefined) return;
      const contact: ServerContact = { server, ...(known?.heardAt !== undefined && { heardAt: known.heardAt }), lostAt: at };
      set(contact);
      save(contact);
      notifiedAt.set(server, options.clock.now());
      notify();
    },
    async restore() {
      const stored = (await options.store?.load()) ?? [];
      let changed = false;
      for (const contact of stored) {
        const known = byServer.get(contact.server);
        if (known?.heardAt !== undefined && (contact.heardAt === undefined || contact.heardAt <= known.heardAt)) continue;
        // What this host saw since it started (a loss, say) stays; the stored time is only older news of when it last answered.
        set({ ...contact, ...known, ...(contact.heardAt !== undefined && { heardAt: contact.heardAt }) });
        changed = true;
      }
      if (changed) notify();
    },
    entries: () => [...byServer.values()],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
