/**
 * Test double for `navigator.locks`: exclusive locks granted in request
 * order; a waiting request can be withdrawn with its signal. `never()` is a
 * manager that grants nothing (a tab that never becomes leader).
 */
export class FakeLocks {
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly held = new Set<string>();

  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: { name: string; mode: "exclusive" }) => Promise<unknown>,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        this.held.add(name);
        void Promise.resolve()
          .then(() => callback({ name, mode: "exclusive" }))
          .then(resolve, reject)
          .finally(() => {
            this.held.delete(name);
            this.queues.get(name)?.shift()?.();
          });
      };
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      if (!this.held.has(name) && queue.length === 0) {
        grant();
        return;
      }
      queue.push(grant);
      options.signal?.addEventListener("abort", () => {
        const at = queue.indexOf(grant);
        if (at >= 0) queue.splice(at, 1);
        reject(new DOMException("withdrawn", "AbortError"));
      });
    });
  }

  /** A manager that never grants a lock (a withdrawn request rejects, as the real one does). */
  static never(): Pick<LockManager, "request"> {
    const request = (_name: string, options: { signal?: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        options.signal?.addEventListener("abort", () => reject(new DOMException("withdrawn", "AbortError")));
      });
    return { request } as unknown as Pick<LockManager, "request">;
  }

  asLockManager(): Pick<LockManager, "request"> {
    return this as unknown as Pick<LockManager, "request">;
  }
}
