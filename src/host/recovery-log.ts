import { MAX_STORAGE_RECOVERIES, type StorageRecovery } from "../protocol/messages.js";

/**
 * What the host found lost of its storage while it ran, and what it wrote
 * back (IndexedDB values by the host, precached app files by the worker):
 * kept in memory for diagnostics, newest last, at most
 * {@link MAX_STORAGE_RECOVERIES}. A recovery that is still under way is
 * recorded when it starts and updated when it ends.
 */
export interface RecoveryLog {
  /** Records a new recovery; returns the function that updates it (e.g. once restored). */
  begin(recovery: StorageRecovery): (update: Partial<Omit<StorageRecovery, "storage" | "detectedAt">>) => void;
  entries(): readonly StorageRecovery[];
  /** Called after every change, with the recovery that began or changed; returns the function that stops listening. */
  onChange(listener: (recovery: StorageRecovery) => void): () => void;
}

/** Creates an empty {@link RecoveryLog}. */
export function createRecoveryLog(): RecoveryLog {
  const entries: Array<{ recovery: StorageRecovery }> = [];
  const listeners = new Set<(recovery: StorageRecovery) => void>();
  const changed = (recovery: StorageRecovery) => {
    for (const listener of [...listeners]) listener(recovery);
  };
  return {
    begin(recovery) {
      const slot = { recovery };
      entries.push(slot);
      if (entries.length > MAX_STORAGE_RECOVERIES) entries.shift();
      changed(recovery);
      return (update) => {
        slot.recovery = { ...slot.recovery, ...update };
        // An entry pushed out of the log meanwhile is not news any more.
        if (entries.includes(slot)) changed(slot.recovery);
      };
    },
    entries: () => entries.map((slot) => slot.recovery),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
