/**
 * The only runtime globals the core may use, declared for the core's own
 * type check (src/core/tsconfig.json has no DOM and no Node types): the
 * WHATWG abort API, which Node, service workers and pages all provide with
 * this shape. Everything else (timers, fetch, storage, randomness) comes in
 * through the core's interfaces. Other configs use their lib's declarations.
 */
/* eslint-disable no-var -- a global value is declared with `declare var` */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
  throwIfAborted(): void;
}

declare var AbortSignal: {
  prototype: AbortSignal;
  abort(reason?: unknown): AbortSignal;
};

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare var AbortController: {
  prototype: AbortController;
  new (): AbortController;
};
