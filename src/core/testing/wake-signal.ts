/**
 * What a fake server's open stream waits on: resolves on the next `wake()`
 * or when `signal` aborts, whichever comes first (the abort listener is
 * removed on a wake, so a long stream gathers none).
 */
export class WakeSignal {
  #wake: (() => void) | undefined;

  wake(): void {
    this.#wake?.();
  }

  wait(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const onAbort = () => resolve();
      this.#wake = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }).finally(() => (this.#wake = undefined));
  }
}
