/**
 * Persistent storage and quota, as the browser reports them. A kiosk's data
 * must survive storage pressure, so the dashboard asks for persistence once
 * at start-up (`persist()` exists on pages only, not in workers) and shows
 * the answer in the diagnostics panel.
 */
export interface StorageInfo {
  /** `undefined`: the browser has no StorageManager (insecure origin, old engine). */
  readonly persisted: boolean | undefined;
  readonly usage: number | undefined;
  readonly quota: number | undefined;
}

/** Asks for persistent storage; resolves to the browser's answer, `undefined` when it cannot be asked. */
export async function requestPersistentStorage(): Promise<boolean | undefined> {
  const storage = navigator.storage;
  if (!storage?.persist) return undefined;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return undefined;
  }
}

export async function readStorageInfo(): Promise<StorageInfo> {
  const storage = navigator.storage;
  if (!storage) return { persisted: undefined, usage: undefined, quota: undefined };
  const [persisted, estimate] = await Promise.all([
    storage.persisted?.().catch(() => undefined),
    storage.estimate?.().catch(() => undefined),
  ]);
  return { persisted, usage: estimate?.usage, quota: estimate?.quota };
}
