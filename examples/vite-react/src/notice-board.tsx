import { usePublication, type CacheState } from "pubcache-web/react";

/** How fresh the notice on screen is, in words. */
export function describeState(state: CacheState): string {
  switch (state.kind) {
    case "live":
      return "live";
    case "retrying":
      return `offline, retrying at ${new Date(state.nextAttemptAt).toLocaleTimeString()}`;
    default:
      return state.kind;
  }
}

/** One publication shown as a notice, with its version and freshness. */
export function NoticeBoard({ id }: { id: string }) {
  const { value, state, error } = usePublication(id);
  const text = value ? new TextDecoder().decode(value.publication.body) : "";
  return (
    <article data-publication={id} data-version={value?.publication.version ?? ""} data-state={state.kind}>
      <h1>{id}</h1>
      <p className="body">{text || "Nothing to show yet."}</p>
      <p className="state">{describeState(state)}</p>
      {error && <p className="error">{error.message}</p>}
    </article>
  );
}
