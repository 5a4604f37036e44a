import type { Logger } from "../../core/logger.js";

/** A {@link Logger} that keeps every line (message and fields, as JSON) so specs can search them for secrets. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${message} ${fields === undefined ? "" : JSON.stringify(fields)}`);
  return { lines, debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
}
