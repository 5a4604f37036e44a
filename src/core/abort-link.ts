/**
 * An AbortController that also aborts when `parent` does — for work (one
 * stream, one attempt) that must end with the cache but can also be ended on
 * its own. `dispose()` detaches it from `parent` so nothing is left listening;
 * call it when the work is over.
 */
export function linkedAbort(parent: AbortSignal): { signal: AbortSignal; abort(): void; dispose(): void } {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    dispose: () => parent.removeEventListener("abort", onParentAbort),
  };
}
