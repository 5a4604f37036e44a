/**
 * Runs tasks one at a time per key, in arrival order; tasks for different keys
 * run concurrently. The server takes the lock of a publication id around
 * "check, write the file, apply in memory", so two writes to one id can never
 * interleave and leave the file and the memory disagreeing.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task for `key` has settled; resolves to its result. */
  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => task());
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map stays small.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
