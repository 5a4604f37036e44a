import type { AuthLock } from "../auth-lock.js";

/**
 * One exclusive lock shared by the "tabs" of a spec, granted in request
 * order, as `navigator.locks` does for an origin. `holds` counts grants.
 */
export class SharedLock implements AuthLock {
  #tail: Promise<void> = Promise.resolve();
  grants = 0;
  held = false;

  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tail;
    let release = () => {};
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(async () => {
      try {
        if (signal?.aborted) throw new DOMException("withdrawn", "AbortError");
        this.grants += 1;
        this.held = true;
        return await work();
      } finally {
        this.held = false;
        release();
      }
    });
  }
}
