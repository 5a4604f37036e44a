/**
 * The JSON stored in `storage` (localStorage) under `key`, or `undefined`
 * when there is none, it does not parse, or the storage refuses to be read.
 * What it holds is unchecked: callers validate it.
 */
export function readStoredJson(storage: Pick<Storage, "getItem">, key: string): unknown {
  try {
    const text = storage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
