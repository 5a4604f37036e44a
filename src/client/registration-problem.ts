import type { WorkerContext, WorkerProblem } from "./worker-problem.js";

// Apart from worker-problem.ts: only a registration that failed needs it,
// and that runs in the registration's own chunk (keep-worker-registered.ts).

/**
 * What a failed `navigator.serviceWorker.register()` means. Chromium rejects
 * a page reached through a certificate warning with a `SecurityError` whose
 * message says "An SSL certificate error occurred when fetching the script"
 * — or, now and then (measured in Chromium 156, about one start in four
 * under load), "An unknown error occurred when fetching the script": the
 * script's fetch refused for security is the certificate either way, since a
 * plain network failure is a `TypeError` and the other `SecurityError`s
 * (another origin's script, a scope too wide) say so. Any error that names a
 * certificate is read that way too. A `SecurityError` in an insecure context
 * is that context; everything else is a plain failure.
 */
export function problemOfRegistration(error: unknown, context: Pick<WorkerContext, "isSecureContext">): WorkerProblem {
  const name = typeof error === "object" && error !== null && "name" in error ? String(error.name) : "";
  const text = typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error);
  const message = (name && !text.startsWith(name) ? `${name}: ${text}` : text).slice(0, MAX_MESSAGE);
  if (/certificate/i.test(text)) return { kind: "certificate-not-trusted", message };
  if (name === "SecurityError" && !context.isSecureContext) return { kind: "insecure-context", message };
  if (name === "SecurityError" && /when fetching the script/i.test(text)) return { kind: "certificate-not-trusted", message };
  return { kind: "registration-failed", message };
}

/** Registration errors quote the script's URL: long enough for that, short enough for a panel. */
const MAX_MESSAGE = 500;
