/** Interfaces no other device can use to reach this machine. */
const NOT_PUBLIC = new Set(["0.0.0.0", "::", "127.0.0.1", "::1", "localhost"]);

/**
 * The name other devices reach the server by, from its command line: the
 * first `--name`, else a `--host` that is neither a wildcard nor loopback;
 * `undefined` when neither says (the request's own `Host` is used then).
 */
export function publicNameOf(names: readonly string[] | undefined, host: string): string | undefined {
  const named = names?.find((name) => name.trim() !== "");
  if (named !== undefined) return named;
  return NOT_PUBLIC.has(host) ? undefined : host;
}
