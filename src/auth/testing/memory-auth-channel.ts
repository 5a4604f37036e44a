import { parseAuthMessage, type AuthMessage, type OpenAuthChannel } from "../auth-channel.js";

/**
 * A BroadcastChannel between the "tabs" of a spec: a message reaches every
 * other open end asynchronously (a macrotask later, as in browsers), through
 * structured cloning and validation like the real one. `sent` keeps every
 * message posted, for assertions.
 */
export class MemoryAuthBus {
  readonly #ends = new Set<(message: unknown) => void>();
  readonly sent: AuthMessage[] = [];

  readonly open: OpenAuthChannel = (onMessage) => {
    const deliver = (raw: unknown) => {
      const message = parseAuthMessage(raw);
      if (message) onMessage(message);
    };
    this.#ends.add(deliver);
    return {
      post: (message) => {
        this.sent.push(message);
        const copy = structuredClone(message);
        for (const end of this.#ends) if (end !== deliver) setImmediate(() => this.#ends.has(end) && end(copy));
      },
      close: () => void this.#ends.delete(deliver),
    };
  };
}
